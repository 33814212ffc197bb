package io.github.erlangspring.reliability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeName;
import io.github.erlangspring.node.SimpleFunctionTable;
import io.github.erlangspring.node.epmd.EpmdClient;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static io.github.erlangspring.reliability.Terms.count;
import static io.github.erlangspring.reliability.Terms.get;
import static io.github.erlangspring.reliability.Terms.longValue;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Java node stops while eight Erlang processes call it without pause: the calls it was running
 * finish and their results arrive, calls that come after it began to stop are refused at once,
 * it stops without waiting out its whole grace period, and EPMD no longer knows it.
 */
class GracefulShutdownTests {

	/** How long one call into Java works. */
	private static final Duration WORK = Duration.ofMillis(300);

	/** Long enough that waiting it out cannot be mistaken for a slow machine. */
	private static final Duration GRACE = Duration.ofSeconds(30);

	/**
	 * What stopping may take: the calls in flight need {@link #WORK} (0.3 s) to finish; 10 s leaves
	 * more than 30 times that for a loaded machine, and is a third of the grace a node that waited
	 * it out would take.
	 */
	private static final Duration STOPS_WITHIN = Duration.ofSeconds(10);

	private static final int CALL_TIMEOUT_MILLIS = 3000;

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	@Test
	void aNodeStoppingUnderLoadFinishesItsCallsRefusesNewOnesAndLeavesEpmd() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangNode node = java.start(cookie, (config) -> config.shutdownTimeout(GRACE));
		SlowEcho echo = new SlowEcho();
		node.setFunctionTable(new SimpleFunctionTable().register("esb_rel", "slow", 1, (call) -> echo.slow(call.args().get(0))));
		ErlangPeer peer = erlang.peer().cookie(cookie).start();

		Duration took = stopUnderLoad(peer, node.name(), echo, node::close);

		assertThat(took).as("time to stop").isLessThan(STOPS_WITHIN);
		assertNotInEpmd(node.name(), peer);
	}

	@Test
	void aSpringApplicationClosingUnderLoadFinishesItsCallsAndLeavesEpmd() throws Exception {
		ErlangRuntime.ensureEpmd();
		ErlangPeer peer = erlang.start();
		String javaNode = ErlangPeer.uniqueAlive("esb_rel_spring") + "@127.0.0.1";
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("erlang.node", javaNode, "erlang.cookie", peer.cookie(),
					"erlang.shutdown-timeout", GRACE.toMillis() + "ms")));
		context.registerBean(SlowEcho.class);
		context.register(AutoConfig.class);
		context.refresh();
		SlowEcho echo = context.getBean(SlowEcho.class);
		try {
			Duration took = stopUnderLoad(peer, javaNode, echo, context::close);
			assertThat(took).as("time to close the context").isLessThan(STOPS_WITHIN);
		}
		finally {
			context.close();
		}
		assertNotInEpmd(javaNode, peer);
	}

	/**
	 * Runs eight Erlang callers into {@code esb_rel:slow/1} of the Java node, stops the node
	 * while they run and checks every call's outcome.
	 * @return how long stopping took
	 */
	private static Duration stopUnderLoad(ErlangPeer peer, String javaNode, SlowEcho echo, Runnable stop) {
		peer.eval("esb_reliability:start_callers({erpc, " + q(javaNode) + ", esb_rel, slow}, 8, " + CALL_TIMEOUT_MILLIS
				+ ", shutdown)");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> longValue(((OtpErlangTuple) peer.eval("esb_reliability:progress(shutdown)")).elementAt(0)) >= 24);
		await().atMost(Duration.ofSeconds(5)).until(() -> echo.running() > 0);
		long start = System.nanoTime();
		stop.run();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		long startedWhenStopped = echo.started.get();
		// the Erlang callers now fail: let them see it a few times before stopping them
		long failures = longValue(((OtpErlangTuple) peer.eval("esb_reliability:progress(shutdown)")).elementAt(1));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> longValue(((OtpErlangTuple) peer.eval("esb_reliability:progress(shutdown)")).elementAt(1)) > failures
					+ 8);
		OtpErlangObject stats = peer.eval("esb_reliability:stop_callers(shutdown, 10000)", Duration.ofSeconds(20));

		assertThat(echo.started.get()).as("calls started after the node stopped").isEqualTo(startedWhenStopped);
		assertThat(echo.finished.get()).as("calls into Java that ran to the end").isEqualTo(echo.started.get());
		assertThat(count(stats, "ok")).as("results received by Erlang, %s", stats).isEqualTo(echo.finished.get());
		assertThat(count(stats, "wrong")).isZero();
		assertThat(count(stats, "late")).as("calls that hung past their timeout, %s", stats).isZero();
		OtpErlangMap errors = (OtpErlangMap) get(stats, "errors");
		long failed = 0;
		for (OtpErlangObject reason : errors.keys()) {
			assertThat(reason.toString()).as("failure of a call, %s", stats).isIn("noconnection", "system_limit");
			failed += longValue(errors.get(reason));
		}
		assertThat(count(stats, "made")).as("%s", stats).isEqualTo(count(stats, "ok") + failed);
		return took;
	}

	private static void assertNotInEpmd(String javaNode, ErlangPeer peer) throws Exception {
		NodeName name = NodeName.parse(javaNode);
		assertThat(new EpmdClient(4369, Duration.ofSeconds(5)).lookup("127.0.0.1", name.alive())).isEmpty();
		OtpErlangList names = (OtpErlangList) peer.eval("{ok, Names} = net_adm:names(), [N || {N, _} <- Names]");
		assertThat(names.toString()).doesNotContain(name.alive());
	}

	@ErlangRpc(module = "esb_rel")
	static class SlowEcho {

		final AtomicLong started = new AtomicLong();

		final AtomicLong finished = new AtomicLong();

		@ErlangRpc
		OtpErlangObject slow(OtpErlangObject value) {
			this.started.incrementAndGet();
			// the work of a call: it must not be cut short by the shutdown
			long end = System.nanoTime() + WORK.toNanos();
			for (long left; (left = end - System.nanoTime()) > 0;) {
				LockSupport.parkNanos(left);
			}
			this.finished.incrementAndGet();
			return value;
		}

		long running() {
			return this.started.get() - this.finished.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(ErlangAutoConfiguration.class)
	static class AutoConfig {

	}

}
