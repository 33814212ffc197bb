package io.github.erlangspring.autoconfigure;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A devtools-style restart: the application context is closed and a new one created in the same
 * JVM while an Erlang node, registered with the application's embedded EPMD, keeps calling the
 * application by name. The EPMD outlives the first context (it serves the Erlang node), the new
 * context's node takes it over, and the Erlang node reaches the application by name again
 * without being restarted. Once no node is registered, the EPMD stops.
 */
class ErlangRestartTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@Test
	void aRestartedContextIsReachedByNameAgainThroughTheEmbeddedEpmdItLeftRunning() throws Exception {
		int epmdPort = freePort();
		String javaNode = ErlangPeer.uniqueAlive("esb_restart") + "@127.0.0.1";
		String cookie = ErlangPeer.randomCookie();
		AnnotationConfigApplicationContext first = context(javaNode, cookie, epmdPort);
		assertThat(first.getBean(ErlangNode.class).runsEmbeddedEpmd()).isTrue();
		ErlangPeer peer = erlang.peer().cookie(cookie).epmdPort(epmdPort).start();
		long peerPid = peer.pid();
		AnnotationConfigApplicationContext second = null;
		try {
			peer.eval("esb_reliability:start_callers({erpc, '" + javaNode + "', esb_restart, echo}, 2, 3000, restart)");
			await().atMost(Duration.ofSeconds(20)).until(() -> ok(peer) >= 10);

			first.close();
			long okWhenClosed = ok(peer);
			second = context(javaNode, cookie, epmdPort);

			assertThat(second.getBean(ErlangNode.class).runsEmbeddedEpmd()).as("took over the embedded EPMD").isTrue();
			await().atMost(Duration.ofSeconds(30)).until(() -> ok(peer) >= okWhenClosed + 10);
			OtpErlangObject stats = peer.eval("esb_reliability:stop_callers(restart, 10000)", Duration.ofSeconds(20));
			System.out.println("calls by name across the restart: " + stats);
			OtpErlangMap errors = (OtpErlangMap) ((OtpErlangMap) stats)
				.get(new com.ericsson.otp.erlang.OtpErlangAtom("errors"));
			for (OtpErlangObject reason : errors.keys()) {
				assertThat(reason.toString()).as("failure while the application restarted").isIn("noconnection");
			}
			assertThat(peer.pid()).as("the Erlang node was not restarted").isEqualTo(peerPid);
			assertThat(peer.isAlive()).isTrue();
		}
		finally {
			if (second != null) {
				second.close();
			}
			first.close();
		}
		assertThat(acceptsConnections(epmdPort)).as("EPMD serves the Erlang node still registered").isTrue();
		peer.close();
		await().atMost(Duration.ofSeconds(20)).until(() -> !acceptsConnections(epmdPort));
	}

	private static long ok(ErlangPeer peer) {
		return ((OtpErlangLong) ((OtpErlangTuple) peer.eval("esb_reliability:progress(restart)")).elementAt(0))
			.longValue();
	}

	private static AnnotationConfigApplicationContext context(String javaNode, String cookie, int epmdPort) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("erlang.node", javaNode, "erlang.cookie", cookie,
					"erlang.epmd.mode", "always", "erlang.epmd.port", epmdPort)));
		context.registerBean(Echo.class);
		context.register(AutoConfig.class);
		context.refresh();
		return context;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static boolean acceptsConnections(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (ConnectException ex) {
			return false;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@ErlangRpc(module = "esb_restart")
	static class Echo {

		@ErlangRpc
		OtpErlangObject echo(OtpErlangObject value) {
			return value;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(ErlangAutoConfiguration.class)
	static class AutoConfig {

	}

}
