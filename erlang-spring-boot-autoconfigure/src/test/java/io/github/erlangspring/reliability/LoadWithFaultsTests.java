package io.github.erlangspring.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.node.ErlangException;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.NodeListener;
import io.github.erlangspring.node.SimpleFunctionTable;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.reliability.Terms.count;
import static io.github.erlangspring.reliability.Terms.get;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.reliability.Terms.longValue;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Eight Java threads call an Erlang node and eight Erlang processes on that node call the Java
 * node, continuously, while the Erlang node is killed with SIGKILL, restarted, frozen with SIGSTOP
 * past the tick time and resumed. Every call must end, in time, with the right value or a typed
 * error, and both sides must get back to work by themselves.
 */
class LoadWithFaultsTests {

	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);

	/**
	 * What a call may take beyond its timeout: scheduling, a GC pause or a handshake with the
	 * restarting peer on a loaded 2-core machine. A call that did not end by its own timeout would
	 * end only when something else ended it: the tick timeout ({@link #TICK}, 8 s), the connect
	 * timeout (7 s), or never. CALL_TIMEOUT + SLACK (5 s) stays below both, so "late" still tells
	 * such a call from a slow one. The same bound is used by the Erlang callers
	 * ({@code esb_reliability:count_time/4}).
	 */
	private static final Duration SLACK = Duration.ofSeconds(4);

	/** Longer than CALL_TIMEOUT + SLACK; see {@link #SLACK}. */
	private static final Duration TICK = Duration.ofSeconds(8);

	private static final Duration PHASE = Duration.ofSeconds(30);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	@Test
	@Timeout(value = 10, unit = TimeUnit.MINUTES)
	void everyCallEndsInTimeWithItsValueOrATypedErrorWhileThePeerIsKilledAndFrozen() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangNode node = java.start(cookie, (config) -> config.netTicktime(TICK));
		node.setFunctionTable(new SimpleFunctionTable().register("esb_rel", "echo", 1, (call) -> call.args().get(0)));
		EchoServer server = new EchoServer(node.createMailbox("esb_rel_srv"));
		Events events = new Events();
		node.addNodeListener(events);
		ErlangPeer peer = erlang.peer().cookie(cookie).netTicktime(TICK).start();
		String peerName = peer.nodeName();
		serve(peer, node);
		JavaCallers callers = new JavaCallers(node, peerName, 8);
		long suspendedAt;
		long resumedAt;
		try {
			awaitJavaSuccesses(callers, 50);
			awaitErlangSuccesses(peer, 50);

			// kill -9: calls in flight fail at once (node down), the next ones until it is back
			long failuresBefore = callers.failed.get();
			peer.kill();
			await().atMost(PHASE).until(() -> callers.failed.get() > failuresBefore + 8);
			peer = peer.restart();
			serve(peer, node);
			awaitJavaSuccesses(callers, 50);
			awaitErlangSuccesses(peer, 50);

			// SIGSTOP past the tick time: the Java node declares it down, calls fail in time
			suspendedAt = longValue(peer.eval("erlang:monotonic_time(millisecond)"));
			peer.suspend();
			try {
				await().atMost(PHASE).until(() -> events.downs(peerName) == 2);
				long failuresWhileDown = callers.failed.get();
				// each Java caller now calls a node it is not connected to, which does not answer
				await().atMost(PHASE).until(() -> callers.failed.get() > failuresWhileDown + 16);
			}
			finally {
				peer.resume();
				resumedAt = longValue(peer.eval("erlang:monotonic_time(millisecond)"));
			}
			assertThat(events.lastDownReason(peerName)).contains("net_tick_timeout");
			awaitJavaSuccesses(callers, 50);
			awaitErlangSuccesses(peer, 50);
		}
		finally {
			callers.stop();
		}
		OtpErlangObject erpc = peer.eval("esb_reliability:stop_callers(erpc, 10000)", Duration.ofSeconds(20));
		OtpErlangObject genCall = peer.eval("esb_reliability:stop_callers(gen_call, 10000)", Duration.ofSeconds(20));
		server.stop();

		callers.assertEveryCallEndedInTimeWithItsValueOrATypedError();
		assertErlangCallsAccountedFor(erpc, suspendedAt, resumedAt);
		assertErlangCallsAccountedFor(genCall, suspendedAt, resumedAt);
		assertThat(events.sequence(peerName)).containsExactly("up", "down", "up", "down", "up");
		assertThat(server.served.get()).isPositive();
	}

	/** Starts the Erlang side: an echo gen_server and 4 + 4 callers into the Java node. */
	private static void serve(ErlangPeer peer, ErlangNode node) {
		String javaNode = q(node.name());
		peer.eval("esb_test:start_server(esb_rel_echo), "
				+ "esb_reliability:start_callers({erpc, " + javaNode + ", esb_rel, echo}, 4, "
				+ CALL_TIMEOUT.toMillis() + ", erpc), "
				+ "esb_reliability:start_callers({gen_call, esb_rel_srv, " + javaNode + "}, 4, "
				+ CALL_TIMEOUT.toMillis() + ", gen_call)");
	}

	private static void awaitJavaSuccesses(JavaCallers callers, long more) {
		long target = callers.ok.get() + more;
		await().atMost(PHASE).until(() -> callers.ok.get() >= target);
	}

	private static void awaitErlangSuccesses(ErlangPeer peer, long more) {
		LongSupplier successes = () -> {
			long erpc = longValue(((OtpErlangTuple) peer.eval("esb_reliability:progress(erpc)")).elementAt(0));
			long genCall = longValue(((OtpErlangTuple) peer.eval("esb_reliability:progress(gen_call)")).elementAt(0));
			return Math.min(erpc, genCall);
		};
		long target = successes.getAsLong() + more;
		await().atMost(PHASE).until(() -> successes.getAsLong() >= target);
	}

	/**
	 * The Erlang callers' own account: every call made succeeded with its value or failed with a
	 * known reason, and none took longer than its timeout, except calls the SIGSTOP froze (their
	 * clock kept running while the node was stopped).
	 */
	private static void assertErlangCallsAccountedFor(OtpErlangObject stats, long suspendedAt, long resumedAt) {
		OtpErlangMap errors = (OtpErlangMap) get(stats, "errors");
		long failed = 0;
		for (OtpErlangObject key : errors.keys()) {
			assertThat(key.toString()).as("Erlang caller error %s in %s", key, stats).doesNotContain("untyped");
			failed += longValue(errors.get(key));
		}
		assertThat(count(stats, "wrong")).as("wrong values in %s", stats).isZero();
		// calls in flight when the node froze may still succeed: the answers wait in its socket
		assertThat(count(stats, "made")).as("calls made in %s", stats)
			.isEqualTo(count(stats, "ok") + failed + count(stats, "wrong"));
		assertThat(count(stats, "ok")).isPositive();
		assertThat((long) ((OtpErlangList) get(stats, "late_calls")).arity()).as("every late call is kept: %s", stats)
			.isEqualTo(count(stats, "late"));
		for (OtpErlangObject late : ((OtpErlangList) get(stats, "late_calls")).elements()) {
			long start = longValue(((OtpErlangTuple) late).elementAt(0));
			long took = longValue(((OtpErlangTuple) late).elementAt(1));
			assertThat(start + took).as("late Erlang call %s ended before the node was stopped at %d: %s", late,
					suspendedAt, stats)
				.isGreaterThanOrEqualTo(suspendedAt);
			assertThat(start).as("late Erlang call %s started after the node was resumed at %d: %s", late, resumedAt,
					stats)
				.isLessThanOrEqualTo(resumedAt);
		}
	}

	/** Java threads calling the Erlang node in a closed loop, half gen_server:call, half erpc. */
	static final class JavaCallers {

		final AtomicLong made = new AtomicLong();

		final AtomicLong ok = new AtomicLong();

		final AtomicLong failed = new AtomicLong();

		final AtomicLong wrong = new AtomicLong();

		final AtomicLong hung = new AtomicLong();

		final AtomicLong maxNanos = new AtomicLong();

		final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

		final List<String> late = new CopyOnWriteArrayList<>();

		final List<Throwable> untyped = new CopyOnWriteArrayList<>();

		private final ErlangNode node;

		private final String peer;

		private final List<Thread> threads = new ArrayList<>();

		private volatile boolean running = true;

		JavaCallers(ErlangNode node, String peer, int count) {
			this.node = node;
			this.peer = peer;
			for (int i = 0; i < count; i++) {
				int id = i;
				Thread thread = new Thread(() -> run(id), "java-caller-" + i);
				thread.setDaemon(true);
				this.threads.add(thread);
				thread.start();
			}
		}

		private void run(int id) {
			for (long seq = 0; this.running; seq++) {
				OtpErlangObject arg = tuple(atom("java"), num(id), num(seq));
				long start = System.nanoTime();
				boolean success = false;
				try {
					CompletableFuture<OtpErlangObject> call = (id % 2 == 0)
							? this.node.call("esb_rel_echo", this.peer, tuple(atom("echo"), arg), CALL_TIMEOUT)
							: this.node.rpc(this.peer, "esb_test", "echo", list(arg), CALL_TIMEOUT);
					OtpErlangObject value = call.get(CALL_TIMEOUT.plus(SLACK).toMillis() + 5000, TimeUnit.MILLISECONDS);
					success = arg.equals(value);
					(success ? this.ok : this.wrong).incrementAndGet();
				}
				catch (ExecutionException ex) {
					failed(ex.getCause());
				}
				catch (ErlangException ex) {
					failed(ex);
				}
				catch (TimeoutException ex) {
					this.hung.incrementAndGet();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				catch (RuntimeException ex) {
					this.untyped.add(ex);
				}
				long took = System.nanoTime() - start;
				this.made.incrementAndGet();
				this.maxNanos.accumulateAndGet(took, Math::max);
				if (took > CALL_TIMEOUT.plus(SLACK).toNanos()) {
					this.late.add(((id % 2 == 0) ? "gen_server:call" : "erpc:call") + " started at "
							+ Instant.now().minusNanos(took) + ": " + (success ? "success" : "failure")
							+ " after " + Duration.ofNanos(took));
				}
				if (!success) {
					// a node that is down fails calls at once: do not spin
					LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
				}
			}
		}

		private void failed(Throwable cause) {
			if (cause instanceof ErlangException) {
				this.failed.incrementAndGet();
				this.failures.computeIfAbsent(cause.getClass().getSimpleName(), (key) -> new AtomicLong())
					.incrementAndGet();
			}
			else {
				this.untyped.add(cause);
			}
		}

		void stop() throws InterruptedException {
			this.running = false;
			for (Thread thread : this.threads) {
				thread.join(CALL_TIMEOUT.plus(SLACK).toMillis() + 10_000);
				assertThat(thread.isAlive()).as("%s still running", thread.getName()).isFalse();
			}
		}

		void assertEveryCallEndedInTimeWithItsValueOrATypedError() {
			String summary = "made " + this.made + ", ok " + this.ok + ", failed " + this.failures + ", max "
					+ Duration.ofNanos(this.maxNanos.get());
			assertThat(this.hung.get()).as("calls without an outcome: %s", summary).isZero();
			assertThat(this.untyped).as("failures that are not ErlangExceptions: %s", summary).isEmpty();
			assertThat(this.wrong.get()).as("wrong values: %s", summary).isZero();
			assertThat(this.late).as("calls that took longer than %s + %s: %s", CALL_TIMEOUT, SLACK, summary).isEmpty();
			assertThat(this.made.get()).as(summary).isEqualTo(this.ok.get() + this.failed.get());
			assertThat(this.failures).as(summary).containsKey("ErlangNodeDownException");
		}

	}

	/** A registered Java process answering {@code gen_server:call(Name, {echo, X})} with X. */
	static final class EchoServer {

		final AtomicLong served = new AtomicLong();

		private final Mailbox mailbox;

		private final Thread thread;

		private volatile boolean running = true;

		EchoServer(Mailbox mailbox) {
			this.mailbox = mailbox;
			this.thread = new Thread(this::serve, "echo-server");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void serve() {
			try {
				while (this.running) {
					OtpErlangObject message = this.mailbox.receive(Duration.ofMillis(200));
					if (message instanceof OtpErlangTuple call && call.arity() == 3
							&& atom("$gen_call").equals(call.elementAt(0))
							&& call.elementAt(2) instanceof OtpErlangTuple request && request.arity() == 2) {
						this.mailbox.reply(call.elementAt(1), request.elementAt(1));
						this.served.incrementAndGet();
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.thread.join(5000);
			this.mailbox.close();
		}

	}

	/** Ups and downs seen by the Java node. */
	static final class Events implements NodeListener {

		private final List<String[]> events = new CopyOnWriteArrayList<>();

		@Override
		public void nodeUp(String node, boolean hidden) {
			this.events.add(new String[] { node, "up", "" });
		}

		@Override
		public void nodeDown(String node, DisconnectReason reason) {
			this.events.add(new String[] { node, "down", reason.toString() });
		}

		List<String> sequence(String node) {
			return this.events.stream().filter((e) -> e[0].equals(node)).map((e) -> e[1]).toList();
		}

		long downs(String node) {
			return sequence(node).stream().filter("down"::equals).count();
		}

		String lastDownReason(String node) {
			String reason = null;
			for (String[] event : this.events) {
				if (event[0].equals(node) && event[1].equals("down")) {
					reason = event[2];
				}
			}
			return reason;
		}

	}

}
