package io.github.erlangspring.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.SimpleFunctionTable;

/**
 * G. Soak: for {@code -Dbench.soak=SECONDS} (default 300), 8 Erlang processes {@code erpc:call}
 * the Java node while 8 Java threads {@code gen_server:call} the Erlang node, without pause; the
 * heap in use after a full collection is sampled every 10 seconds. Flat means its growth over the
 * second half of the soak, fitted by least squares, stays under 1 MB a minute.
 */
final class SoakScenario implements Scenario {

	private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);

	private static final double FLAT_MB_PER_MINUTE = 1.0;

	private final List<double[]> samples = new ArrayList<>();

	@Override
	public String id() {
		return "soak";
	}

	@Override
	public String title() {
		return "G. soak: calls both ways without pause, heap after GC sampled (esb only)";
	}

	private static Duration duration() {
		return Duration.ofMillis(Math.round(Double.parseDouble(System.getProperty("bench.soak", "300")) * 1000));
	}

	@Override
	public List<String> notes(BenchContext context) {
		List<String> notes = new ArrayList<>();
		notes.add("For " + duration().toSeconds() + " s: 8 erl processes `erpc:call` the ErlangNode (the row: "
				+ "timed in Erlang) while 8 Java threads `ErlangNode.call` the erl gen_server; heap after GC every "
				+ SAMPLE_EVERY.toSeconds() + " s.");
		synchronized (this.samples) {
			if (!this.samples.isEmpty()) {
				StringBuilder line = new StringBuilder("Heap after GC (s: MB): ");
				for (double[] sample : this.samples) {
					line.append(String.format("%.0f: %.1f; ", sample[0], sample[1]));
				}
				notes.add(line.toString().strip());
				double slope = slopeOfSecondHalf();
				notes.add(String.format("Growth over the second half: %.2f MB/min, %s (flat: under %.1f MB/min).", slope,
						(Math.abs(slope) < FLAT_MB_PER_MINUTE) ? "**flat**" : "**growing**", FLAT_MB_PER_MINUTE));
			}
		}
		return notes;
	}

	/** Least-squares slope of the samples of the second half, in MB per minute. */
	private double slopeOfSecondHalf() {
		List<double[]> half = this.samples.subList(this.samples.size() / 2, this.samples.size());
		if (half.size() < 2) {
			return 0;
		}
		double n = half.size();
		double sx = 0;
		double sy = 0;
		double sxy = 0;
		double sxx = 0;
		for (double[] s : half) {
			sx += s[0];
			sy += s[1];
			sxy += s[0] * s[1];
			sxx += s[0] * s[0];
		}
		double denominator = n * sxx - sx * sx;
		return (denominator == 0) ? 0 : (n * sxy - sx * sy) / denominator * 60;
	}

	@Override
	public void run(BenchContext context, ResultSink results) throws Exception {
		if (context.priming() || !context.wants(Variants.ESB)) {
			return;
		}
		Duration soak = duration();
		context.server().eval("esb_bench:start_server()");
		String server = context.server().nodeName();
		synchronized (this.samples) {
			this.samples.clear();
		}
		try (ErlangNode esb = context.startErlangNode("esb_bench_soak")) {
			esb.setFunctionTable(new SimpleFunctionTable().register("esb_bench_java", "echo", 1,
					(call) -> call.args().get(0)));
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicLong javaCalls = new AtomicLong();
			AtomicLong javaErrors = new AtomicLong();
			List<Thread> callers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				Thread caller = new Thread(() -> {
					while (running.get()) {
						try {
							OtpErlangObject answer = esb
								.call("esb_bench_echo", server, BenchContext.REQUEST, Duration.ofSeconds(5))
								.get(10, TimeUnit.SECONDS);
							(BenchContext.REQUEST.equals(answer) ? javaCalls : javaErrors).incrementAndGet();
						}
						catch (Exception ex) {
							javaErrors.incrementAndGet();
						}
					}
				}, "bench-soak-caller-" + i);
				caller.setDaemon(true);
				caller.start();
				callers.add(caller);
			}
			context.progress(id() + ": " + soak.toSeconds() + " s");
			CompletableFuture<OtpErlangObject> erlang = context.driver()
				.evalAsync("esb_bench:run({erpc, " + BenchContext.quoted(esb.name()) + ", esb_bench_java, echo}, 8, 0, "
						+ soak.toMillis() + ")");
			long start = System.nanoTime();
			long next = start;
			while (!erlang.isDone()) {
				if (System.nanoTime() >= next) {
					double mb = heapAfterGc() / (1024.0 * 1024.0);
					double at = (System.nanoTime() - start) / 1e9;
					synchronized (this.samples) {
						this.samples.add(new double[] { at, mb });
					}
					context.progress(String.format("  soak %.0f s: heap after GC %.1f MB, %d Java calls", at, mb,
							javaCalls.get()));
					next += SAMPLE_EVERY.toNanos();
				}
				JavaLoad.sleepUntil(Math.min(next, System.nanoTime() + 200_000_000L));
			}
			running.set(false);
			for (Thread caller : callers) {
				caller.join(15_000);
			}
			OtpErlangTuple t = (OtpErlangTuple) erlang.get();
			long calls = ((OtpErlangLong) t.elementAt(0)).longValue();
			results.add(new Result(id(), Variants.ESB, "Erlang → ErlangNode erpc, during the soak", 8, "erlang",
					new Stats(calls, ((OtpErlangLong) t.elementAt(1)).longValue(), ((OtpErlangLong) t.elementAt(2)).longValue(),
							((OtpErlangLong) t.elementAt(3)).longValue(),
							((OtpErlangLong) t.elementAt(4)).longValue() + javaErrors.get(), null)));
		}
	}

	private static long heapAfterGc() {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 2; i++) {
			System.gc();
			used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
