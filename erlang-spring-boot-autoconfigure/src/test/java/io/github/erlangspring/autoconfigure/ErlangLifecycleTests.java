package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.convert.ErlangRecord;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeName;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A context is stopped and started again, three times, while Erlang processes call a concurrent
 * {@code @ErlangProcess} and an {@code @ErlangRpc} method without pause: each stop leaves EPMD,
 * lets the calls running in Java finish and delivers their results, ends the process with
 * {@code shutdown} (an Erlang monitor sees it); each start answers again.
 */
class ErlangLifecycleTests {

	/** How long one call into Java works. */
	private static final Duration WORK = Duration.ofMillis(100);

	private static final Duration GRACE = Duration.ofSeconds(5);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@Test
	void aContextStoppedAndStartedAgainAnswersEveryTimeAndEndsItsWorkInOrder() {
		ErlangRuntime.ensureEpmd();
		ErlangPeer peer = erlang.start();
		String javaNode = ErlangPeer.uniqueAlive("esb_lc") + "@127.0.0.1";
		String quoted = "'" + javaNode + "'";
		AnnotationConfigApplicationContext context = context(javaNode, peer.cookie());
		try {
			Work work = context.getBean(Work.class);
			peer.eval("esb_reliability:start_callers({gen_call, esb_lc_echo, " + quoted + "}, 8, 3000, lc_gen)");
			peer.eval("esb_reliability:start_callers({erpc, " + quoted + ", esb_lc, slow}, 8, 3000, lc_erpc)");
			for (int round = 1; round <= 3; round++) {
				long okBefore = ok(peer, "lc_gen") + ok(peer, "lc_erpc");
				await().atMost(Duration.ofSeconds(30))
					.until(() -> ok(peer, "lc_gen") >= okBefore + 8 && ok(peer, "lc_erpc") >= okBefore / 2 + 8);
				String tag = "lc_down_" + round;
				// the call after the monitor returns once the Java node has the monitor (signals are ordered)
				peer.eval("Self = self(), spawn(fun() -> R = erlang:monitor(process, {esb_lc_echo, " + quoted
						+ "}), sync = gen_server:call({esb_lc_echo, " + quoted + "}, {echo, sync}, 10000), "
						+ "Self ! monitoring, receive {'DOWN', R, _, _, Reason} -> persistent_term:put(" + tag
						+ ", Reason) end end), receive monitoring -> ok end", Duration.ofSeconds(20));
				long startedBefore = work.started.get();
				long runningBefore = startedBefore - work.finished.get();
				long start = System.nanoTime();
				context.stop();
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				long startedWhenStopped = work.started.get();
				System.out.printf("round %d: stop took %d ms under load; %d calls into Java were running, %d more "
						+ "(queued in the process before the stop) started while stopping, all %d finished%n", round,
						took.toMillis(), runningBefore, startedWhenStopped - startedBefore, work.finished.get());

				assertThat(context.getBean(ErlangNode.class).isRunning()).isFalse();
				assertThat(work.finished.get()).as("calls into Java that ran to the end").isEqualTo(startedWhenStopped);
				assertThat(took).as("time to stop").isLessThan(GRACE);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(peer.eval("persistent_term:get(" + tag + ", none)"))
						.hasToString("shutdown"));
				assertThat(names(peer)).as("EPMD names").doesNotContain(NodeName.parse(javaNode).alive());

				context.start();
				assertThat(context.getBean(ErlangNode.class).isRunning()).isTrue();
				assertThat(peer.eval("gen_server:call({esb_lc_echo, " + quoted + "}, {echo, again}, 5000)"))
					.hasToString("again");
			}
			OtpErlangObject gen = peer.eval("esb_reliability:stop_callers(lc_gen, 10000)", Duration.ofSeconds(20));
			OtpErlangObject erpc = peer.eval("esb_reliability:stop_callers(lc_erpc, 10000)", Duration.ofSeconds(20));
			System.out.printf("gen_server:call: %s%nerpc:call: %s%n", gen, erpc);
			for (OtpErlangObject stats : new OtpErlangObject[] { gen, erpc }) {
				assertThat(count(stats, "wrong")).isZero();
				assertThat(count(stats, "late")).as("calls that hung past their timeout, %s", stats).isZero();
				OtpErlangMap errors = (OtpErlangMap) get(stats, "errors");
				for (OtpErlangObject reason : errors.keys()) {
					assertThat(reason.toString()).as("failure of a call, %s", stats)
						.isIn("noconnection", "nodedown", "shutdown", "noproc");
				}
			}
			assertThat(count(gen, "ok") + count(erpc, "ok")).as("results received by Erlang")
				.isLessThanOrEqualTo(work.finished.get())
				.isGreaterThan(0);
		}
		finally {
			context.close();
		}
	}

	@Test
	void subscriptionsPgScopesAndTheConnectorComeBackAfterEachRestart() {
		ErlangRuntime.ensureEpmd();
		ErlangPeer peer = erlang.peer().args("-kernel", "start_pg", "true").start();
		String javaNode = ErlangPeer.uniqueAlive("esb_lcps") + "@127.0.0.1";
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("erlang.node", javaNode, "erlang.cookie", peer.cookie(),
					"erlang.connect", peer.nodeName())));
		context.registerBean(Listener.class);
		context.register(PubSubAutoConfig.class);
		context.refresh();
		try {
			Listener listener = context.getBean(Listener.class);
			for (int round = 1; round <= 3; round++) {
				String message = "m" + round;
				// the connector connects, the scope finds Erlang's pg, the subscriber joins: Erlang sees it
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(peer.eval("esb_pubsub_test:members(pg, <<\"esb_lc_topic\">>)")
						.toString()).contains(javaNode.substring(0, javaNode.indexOf('@'))));
				assertThat(peer.eval("esb_pubsub_test:publish(pg, <<\"esb_lc_topic\">>, <<\"" + message + "\">>)"))
					.hasToString("1");
				await().atMost(Duration.ofSeconds(10)).until(() -> listener.received.contains(message));
				context.stop();
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(peer.eval("esb_pubsub_test:members(pg, <<\"esb_lc_topic\">>)"))
						.hasToString("[]"));
				context.start();
			}
		}
		finally {
			context.close();
		}
	}

	static class Listener {

		final java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();

		@io.github.erlangspring.annotation.ErlangSubscribe("esb_lc_topic")
		void onMessage(String message) {
			this.received.add(message);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ErlangAutoConfiguration.class, ErlangPubSubAutoConfiguration.class })
	static class PubSubAutoConfig {

	}

	static AnnotationConfigApplicationContext context(String javaNode, String cookie) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("erlang.node", javaNode, "erlang.cookie", cookie,
					"erlang.shutdown-timeout", GRACE.toMillis() + "ms")));
		context.registerBean(Work.class);
		context.registerBean(Echo.class);
		context.registerBean(Slow.class);
		context.register(AutoConfig.class);
		context.refresh();
		return context;
	}

	private static long ok(ErlangPeer peer, String tag) {
		return ((com.ericsson.otp.erlang.OtpErlangLong) ((OtpErlangTuple) peer
			.eval("esb_reliability:progress(" + tag + ")")).elementAt(0)).longValue();
	}

	private static String names(ErlangPeer peer) {
		OtpErlangList names = (OtpErlangList) peer.eval("{ok, Names} = net_adm:names(), [N || {N, _} <- Names]");
		return names.toString();
	}

	private static OtpErlangObject get(OtpErlangObject stats, String key) {
		return ((OtpErlangMap) stats).get(new com.ericsson.otp.erlang.OtpErlangAtom(key));
	}

	private static long count(OtpErlangObject stats, String key) {
		return ((com.ericsson.otp.erlang.OtpErlangLong) get(stats, key)).longValue();
	}

	/** Counts the calls into Java, each of which works for {@link #WORK}. */
	static class Work {

		final AtomicLong started = new AtomicLong();

		final AtomicLong finished = new AtomicLong();

		OtpErlangObject run(OtpErlangObject value) {
			this.started.incrementAndGet();
			long end = System.nanoTime() + WORK.toNanos();
			for (long left; (left = end - System.nanoTime()) > 0;) {
				LockSupport.parkNanos(left);
			}
			this.finished.incrementAndGet();
			return value;
		}

	}

	@ErlangRecord("echo")
	record EchoRequest(OtpErlangObject value) {
	}

	@ErlangProcess(value = "esb_lc_echo", concurrency = "4")
	static class Echo {

		private final Work work;

		Echo(Work work) {
			this.work = work;
		}

		@HandleCall
		OtpErlangObject echo(EchoRequest request) {
			if (request.value() instanceof com.ericsson.otp.erlang.OtpErlangAtom) {
				return request.value();
			}
			return this.work.run(request.value());
		}

	}

	@ErlangRpc(module = "esb_lc")
	static class Slow {

		private final Work work;

		Slow(Work work) {
			this.work = work;
		}

		@ErlangRpc
		OtpErlangObject slow(OtpErlangObject value) {
			return this.work.run(value);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(ErlangAutoConfiguration.class)
	static class AutoConfig {

	}

}
