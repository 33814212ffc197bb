package io.github.erlangspring.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.pubsub.PgScope;
import io.github.erlangspring.pubsub.PubSubTemplate;
import io.github.erlangspring.pubsub.Subscription;
import io.github.erlangspring.test.ErlangPeer;

/**
 * S. Scale (issue 18): {@code N} (default 100,000; {@code -Dbench.scale=N}) subscriptions to one
 * topic, and {@code N} processes each in a group of its own, on one Java node; the same with
 * {@code N} Erlang processes on an Erlang node. Measures the time until all members are visible
 * from an Erlang node's {@code pg:get_members/2} (or {@code pg:which_groups/1}), the fan-out rate
 * of {@link #ROUNDS} publishes to all members, and the JVM's threads, heap and resident memory
 * per process. Runs only when named: {@code ./run-bench --scenarios=scale}.
 */
final class ScaleScenario implements Scenario {

	static final int ROUNDS = 5;

	private static final String WATCHER = "esb_scale_watcher";

	private final List<String> figures = new CopyOnWriteArrayList<>();

	@Override
	public String id() {
		return "scale";
	}

	@Override
	public String title() {
		return "S. scale: N subscriptions to one topic / N processes in N groups on one node";
	}

	@Override
	public List<String> notes(BenchContext context) {
		List<String> notes = new ArrayList<>();
		notes.add("N = " + count(context) + ". **calls/s is messages delivered per second** in a fan-out of " + ROUNDS
				+ " publishes to all N members (Java: `PubSubTemplate.publish`; Erlang: `[P ! M || P <- "
				+ "pg:get_members(S, G)]`); **p50 = p99 = time until all N members are visible** from the Erlang "
				+ "node's `pg:get_members/2` (or `pg:which_groups/1` for N groups), from the first join.");
		notes.addAll(this.figures);
		return notes;
	}

	private static int count(BenchContext context) {
		int configured = Integer.getInteger("bench.scale", 100_000);
		return (context.options().measure().toMillis() < 2000) ? Math.min(configured, 2_000) : configured;
	}

	@Override
	public void run(BenchContext context, ResultSink results) throws Exception {
		int n = count(context);
		this.figures.clear();
		ErlangPeer erlang = context.server();
		if (context.wants(Variants.ESB)) {
			runJava(context, erlang, n, results);
		}
		if (context.wants(Variants.ERLANG)) {
			runErlang(context, erlang, n, results);
		}
	}

	private void runJava(BenchContext context, ErlangPeer erlang, int n, ResultSink results) throws Exception {
		ErlangNode node = context.startErlangNode("esb_scale");
		try {
			String topicScope = "esb_scale_topic";
			String groupScope = "esb_scale_groups";
			erlang.eval("pg:start(" + topicScope + "), pg:start(" + groupScope + "), ok");
			PgScope scope = PgScope.start(node, topicScope);
			PgScope groups = PgScope.start(node, groupScope);
			if (!node.ping(erlang.nodeName(), Duration.ofSeconds(10))) {
				throw new IllegalStateException("no connection to " + erlang.nodeName());
			}
			PubSubTemplate pubSub = new PubSubTemplate(scope, new DefaultErlangConverter());
			Memory before = Memory.now();

			context.progress(id() + ": esb, " + n + " subscriptions to one topic");
			AtomicLong delivered = new AtomicLong();
			AtomicLong target = new AtomicLong(Long.MAX_VALUE);
			CompletableFuture<Long> all = new CompletableFuture<>();
			List<Subscription> subscriptions = new ArrayList<>(n);
			watchErlang(erlang, topicScope + ", <<\"scale\">>");
			long start = System.nanoTime();
			for (int i = 0; i < n; i++) {
				subscriptions.add(pubSub.subscribe("scale", (message) -> {
					if (delivered.incrementAndGet() == target.get()) {
						all.complete(System.nanoTime());
					}
				}));
			}
			long called = System.nanoTime() - start;
			long joinMessages = awaitErlang(erlang, n);
			long joined = System.nanoTime() - start;
			Memory subscribed = Memory.now();
			target.set((long) n * ROUNDS);
			long fanStart = System.nanoTime();
			for (int r = 0; r < ROUNDS; r++) {
				pubSub.publish("scale", r);
			}
			long fanEnd = all.get(10, TimeUnit.MINUTES);
			Memory published = Memory.now();
			results.add(new Result(id(), Variants.ESB, "Java: N subscriptions, one topic", n, "java",
					new Stats((long) n * ROUNDS, fanEnd - fanStart, joined, joined, 0, null)));
			record("esb, " + n + " subscriptions: " + subscribed.perProcess(before, n) + "; threads after the fan-out "
					+ published.threads + " (" + before.threads + " before); Erlang's pg got them in " + joinMessages
					+ " join messages, all visible after " + millis(joined) + " (the subscribe calls took " + millis(called) + ")");
			long closing = System.nanoTime();
			subscriptions.forEach(Subscription::close);
			record("esb, closing " + n + " subscriptions took " + millis(System.nanoTime() - closing));

			context.progress(id() + ": esb, " + n + " processes in " + n + " groups");
			Memory beforeGroups = Memory.now();
			List<Mailbox> processes = new ArrayList<>(n);
			AtomicLong got = new AtomicLong();
			CompletableFuture<Long> each = new CompletableFuture<>();
			watchErlang(erlang, groupScope + ", groups");
			start = System.nanoTime();
			for (int i = 0; i < n; i++) {
				Mailbox process = node.spawn((self, message) -> {
					if (got.incrementAndGet() == n) {
						each.complete(System.nanoTime());
					}
				});
				groups.join(new OtpErlangLong(i), process.self());
				processes.add(process);
			}
			called = System.nanoTime() - start;
			joinMessages = awaitErlang(erlang, n);
			joined = System.nanoTime() - start;
			Memory grouped = Memory.now();
			OtpErlangObject hello = new OtpErlangLong(1);
			fanStart = System.nanoTime();
			for (Mailbox process : processes) {
				node.send(process.self(), hello);
			}
			fanEnd = each.get(10, TimeUnit.MINUTES);
			results.add(new Result(id(), Variants.ESB, "Java: N processes, N groups (one send each)", n, "java",
					new Stats(n, fanEnd - fanStart, joined, joined, 0, null)));
			record("esb, " + n + " spawned processes in their own groups: " + grouped.perProcess(beforeGroups, n)
					+ "; " + joinMessages + " join messages, all visible after " + millis(joined) + " (the spawn and join calls took "
					+ millis(called) + ")");
			closing = System.nanoTime();
			processes.forEach(Mailbox::close);
			record("esb, closing " + n + " processes took " + millis(System.nanoTime() - closing));
			scope.close();
			groups.close();
		}
		finally {
			node.close(Duration.ofSeconds(5));
		}
	}

	/**
	 * Two Erlang references: each of the N processes calls {@code pg:join/3} itself (what an Erlang
	 * application does; one ETS row copy per join), and one {@code pg:join/3} of the list of all N
	 * (what the Java scope's batching amounts to on the wire). The first is the reference of the
	 * ratios (it is the first Erlang row).
	 */
	private void runErlang(BenchContext context, ErlangPeer erlang, int n, ResultSink results) {
		for (String mode : List.of("each", "list")) {
			context.progress(id() + ": erlang, " + n + " processes in one group, pg:join " + mode);
			OtpErlangTuple measured = (OtpErlangTuple) erlang.eval(
					"esb_scale_bench:run(esb_scale_erl_" + mode + ", " + n + ", " + ROUNDS + ", " + mode + ")", Duration.ofMinutes(30));
			long joined = num(measured, 0);
			long fanout = num(measured, 1);
			String label = mode.equals("each") ? "Erlang: N processes, one group, each pg:join(self())"
					: "Erlang: N processes, one group, one pg:join(Pids)";
			results.add(new Result(id(), Variants.ERLANG, label, n, "erlang",
					new Stats((long) n * ROUNDS, fanout, joined, joined, 0, null)));
			record("erlang (" + mode + "), " + n + " processes: " + num(measured, 2)
					+ " bytes each (erlang:memory(processes)), all visible after " + millis(joined));
		}
	}

	private static String millis(long nanos) {
		return String.format("%,d ms", nanos / 1_000_000);
	}

	private void record(String figure) {
		this.figures.add(figure + " (load average " + loadAverage() + ")");
		BenchContext.log(id() + ": " + figure);
	}

	private static long num(OtpErlangTuple tuple, int i) {
		return ((OtpErlangLong) tuple.elementAt(i)).longValue();
	}

	/**
	 * Starts following {@code scopeAndGroup} ({@code Scope, Group}, or {@code Scope, groups}) on the
	 * Erlang node as its pg tells a {@code pg:monitor}: no round trip and no copy of the group per look.
	 */
	private static void watchErlang(ErlangPeer erlang, String scopeAndGroup) {
		erlang.eval("esb_scale_bench:watch(" + scopeAndGroup + ", " + WATCHER + ")");
	}

	/**
	 * Waits until the followed group has {@code expected} members (or that many groups have).
	 * @return the join messages Erlang's pg handled since {@link #watchErlang}
	 */
	private static long awaitErlang(ErlangPeer erlang, int expected) {
		return ((OtpErlangLong) erlang.eval("esb_scale_bench:watched(" + WATCHER + ", " + expected + ")",
				Duration.ofMinutes(30))).longValue();
	}

	private static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (Exception ex) {
			return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}
	}

	/** Threads, heap after GC and resident memory of this JVM at one moment. */
	private record Memory(int threads, long heap, long rss) {

		static Memory now() {
			System.gc();
			System.gc();
			return new Memory(ManagementFactory.getThreadMXBean().getThreadCount(),
					ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), residentBytes());
		}

		String perProcess(Memory before, int n) {
			return "threads " + before.threads + " -> " + this.threads + ", heap " + (this.heap - before.heap) / n
					+ " B per process, resident " + (this.rss - before.rss) / n + " B per process";
		}

		private static long residentBytes() {
			try {
				for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
					if (line.startsWith("VmRSS:")) {
						return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
					}
				}
			}
			catch (Exception ex) {
				// not Linux
			}
			return 0;
		}

	}

}
