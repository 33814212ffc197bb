package io.github.erlangspring.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.node.SimpleFunctionTable;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.reliability.Terms.longValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A flood of connections that never authenticate, on loopback, bounded in count and time: a
 * connected peer's calls all succeed, a new peer connects, and the JVM's threads stay within
 * the handshake pool's bound (not one thread per pending handshake).
 */
class ConnectionFloodTests {

	/** Connections the flood opens at most; each is held open by the test until the end. */
	private static final int FLOOD_CONNECTIONS = 2000;

	/**
	 * The flood stops after this long, whatever it reached. Generous: on a loaded 2-core machine
	 * the flood itself gets little CPU (about 90 connections a second was seen).
	 */
	private static final Duration FLOOD_TIME = Duration.ofSeconds(40);

	/** One connection every this many microseconds: about 500 a second. */
	private static final long PACE_MICROS = 2000;

	/**
	 * Threads the flood may add: the handshake pool (32 by default), plus generous room for what
	 * runs anyway (readers of the two Erlang peers' calls, ticks, timers, the JDK's own).
	 * Before the fix, each pending handshake had a thread for the connect timeout (7 s): at 500
	 * connections a second that is thousands.
	 */
	private static final int THREAD_BOUND = 32 + 96;

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	@Test
	void idleConnectionsCostNoThreadEachAndKeepNoPeerOut() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		// default settings: connect timeout 7 s, 32 pending handshakes
		ErlangNode target = java.start(cookie);
		target.setFunctionTable(new SimpleFunctionTable().register("esb_rel", "echo", 1, (call) -> call.args().get(0)));
		ErlangPeer steady = erlang.peer().cookie(cookie).start();
		steady.eval("esb_reliability:start_callers({erpc, " + q(target.name()) + ", esb_rel, echo}, 1, 10000, flood)");
		await().atMost(Duration.ofSeconds(10)).until(() -> progress(steady)[0] > 10);

		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		int baseline = threads.getThreadCount();
		threads.resetPeakThreadCount();
		List<Socket> flood = new ArrayList<>();
		AtomicInteger opened = new AtomicInteger();
		AtomicBoolean stop = new AtomicBoolean();
		CompletableFuture<Integer> flooding = CompletableFuture.supplyAsync(() -> {
			long deadline = System.nanoTime() + FLOOD_TIME.toNanos();
			long next = System.nanoTime();
			while (opened.get() < FLOOD_CONNECTIONS && System.nanoTime() < deadline && !stop.get()) {
				try {
					Socket socket = new Socket(InetAddress.getLoopbackAddress(), target.port());
					synchronized (flood) {
						flood.add(socket);
					}
					opened.incrementAndGet();
				}
				catch (IOException ex) {
					// the backlog is full for a moment: go on
				}
				next += TimeUnit.MICROSECONDS.toNanos(PACE_MICROS);
				long wait = next - System.nanoTime();
				if (wait > 0) {
					LockSupport.parkNanos(wait);
				}
			}
			return opened.get();
		});
		try {
			// a new peer connects and calls during the flood
			await().atMost(FLOOD_TIME).until(() -> opened.get() > FLOOD_CONNECTIONS / 10);
			ErlangPeer newcomer = erlang.peer().cookie(cookie).start();
			OtpErlangTuple timed = (OtpErlangTuple) newcomer
				.eval("timer:tc(fun() -> rpc:call(" + q(target.name()) + ", esb_rel, echo, [hello], 30000) end)");
			assertThat(timed.elementAt(1)).isEqualTo(atom("hello"));
			long newcomerMillis = longValue(timed.elementAt(0)) / 1000;
			int total = flooding.get(FLOOD_TIME.toSeconds() + 30, TimeUnit.SECONDS);
			int peak = threads.getPeakThreadCount();
			OtpErlangObject stats = steady.eval("esb_reliability:stop_callers(flood, 15000)");
			System.out.printf("Flood: %d connections opened in at most %s; threads: %d before, %d at peak (+%d); "
					+ "steady peer calls: %d made, %d ok; new peer connected and called in %d ms%n", total,
					FLOOD_TIME, baseline, peak, peak - baseline, Terms.count(stats, "made"), Terms.count(stats, "ok"),
					newcomerMillis);
			// a floor that shows there was a flood (each would have held a thread for 7 s), not a rate
			assertThat(total).as("connections opened").isGreaterThan(FLOOD_CONNECTIONS / 4);
			assertThat(Terms.count(stats, "ok")).as("%s", stats).isEqualTo(Terms.count(stats, "made")).isPositive();
			assertThat(peak - baseline).as("threads added during the flood").isLessThanOrEqualTo(THREAD_BOUND);
			assertThat(target.connectedNodes()).contains(steady.nodeName(), newcomer.nodeName());
		}
		finally {
			stop.set(true);
			flooding.handle((n, ex) -> n).get(FLOOD_TIME.toSeconds() + 30, TimeUnit.SECONDS);
			synchronized (flood) {
				for (Socket socket : flood) {
					socket.close();
				}
			}
		}
	}

	private static long[] progress(ErlangPeer peer) {
		OtpErlangTuple progress = (OtpErlangTuple) peer.eval("esb_reliability:progress(flood)");
		return new long[] { longValue(progress.elementAt(0)), longValue(progress.elementAt(1)) };
	}

}
