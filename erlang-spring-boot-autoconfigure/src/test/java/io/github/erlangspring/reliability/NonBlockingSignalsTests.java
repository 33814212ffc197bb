package io.github.erlangspring.reliability;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.ErlangExitException;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.epmd.EpmdClient;
import io.github.erlangspring.node.epmd.Registration;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Replies, links and monitors aimed at a node this node is not connected to do not hold up the
 * thread that makes them: a reply to a process of an unconnected node is dropped (nobody there
 * waits for it), a link or monitor connects in the background. The unconnected node here is the
 * worst kind: registered with EPMD, accepting connections, and never answering the handshake,
 * so each blocking connect would last the whole connect timeout (7 s).
 */
class NonBlockingSignalsTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	private ServerSocket silent;

	private Registration registration;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private String silentNode;

	@BeforeEach
	void startSilentNode() throws Exception {
		ErlangRuntime.ensureEpmd();
		this.silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			try {
				while (true) {
					this.accepted.add(this.silent.accept());
				}
			}
			catch (Exception ex) {
				// closed
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
		String alive = ErlangPeer.uniqueAlive("esb_silent");
		// the EPMD the nodes use: $ERL_EPMD_PORT, else 4369 (as epmd -daemon and NodeConfig)
		String port = System.getenv("ERL_EPMD_PORT");
		int epmdPort = (port != null && !port.isBlank()) ? Integer.parseInt(port.strip()) : 4369;
		this.registration = new EpmdClient(epmdPort, Duration.ofSeconds(5)).register(alive, this.silent.getLocalPort(),
				true);
		this.silentNode = alive + "@127.0.0.1";
	}

	@AfterEach
	void stopSilentNode() throws Exception {
		this.registration.close();
		this.silent.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
	}

	@Test
	void repliesToForgedCallersDoNotStallTheServer() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangNode target = java.start(cookie);
		Mailbox server = target.createMailbox("esb_srv");
		Thread loop = new Thread(() -> {
			try {
				while (true) {
					OtpErlangTuple call = (OtpErlangTuple) server.receive();
					server.reply(call.elementAt(1), call.elementAt(2));
				}
			}
			catch (ErlangExitException | InterruptedException ex) {
				// closed
			}
		});
		loop.setDaemon(true);
		loop.start();
		ErlangPeer peer = erlang.peer().cookie(cookie).start();
		// three calls whose From is a process of the silent node, then a real one. Replying
		// with a connect each, the server would need 3 x 8 s before it answers the real call;
		// the real call's 15 s leave a wide margin either way.
		peer.eval("Name = atom_to_binary(" + q(this.silentNode) + "), "
				+ "Fake = binary_to_term(<<131, 88, 119, (byte_size(Name)), Name/binary, 1:32, 0:32, 0:32>>), "
				+ "[{esb_srv, " + q(target.name()) + "} ! {'$gen_call', {Fake, make_ref()}, forged} "
				+ "|| _ <- [1, 2, 3]], ok");
		assertThat(peer.eval("gen_server:call({esb_srv, " + q(target.name()) + "}, real, 15000)"))
			.isEqualTo(atom("real"));
		assertThat(target.connectedNodes()).doesNotContain(this.silentNode);
		server.close();
	}

	@Test
	void linksAndMonitorsToAnUnconnectedNodeConnectInTheBackground() throws Exception {
		ErlangNode target = java.start(ErlangPeer.randomCookie());
		OtpErlangPid remote = new OtpErlangPid(this.silentNode, 1, 0, 1);
		try (Mailbox watcher = target.createMailbox()) {
			watcher.trapExits(true);
			// Connecting on this thread takes the 7 s connect timeout; 5 s is far from both
			// that and from the microseconds these take now.
			assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
				watcher.monitor(remote);
				watcher.link(remote);
			});
			// the connect fails in the background: the monitor fires, the link breaks
			OtpErlangObject first = watcher.receive(Duration.ofSeconds(30));
			OtpErlangObject second = watcher.receive(Duration.ofSeconds(30));
			assertThat(List.of(String.valueOf(first), String.valueOf(second))).allMatch((text) -> text.contains("noconnection"));
		}
	}

}
