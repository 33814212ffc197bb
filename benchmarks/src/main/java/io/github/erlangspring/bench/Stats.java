package io.github.erlangspring.bench;

import java.util.Arrays;

/**
 * What one measurement window gave: calls completed inside it, its length, and latency
 * percentiles of those calls.
 *
 * @param calls successful calls that completed inside the window
 * @param windowNanos length of the window
 * @param p50Nanos median latency
 * @param p99Nanos 99th percentile latency
 * @param errors calls that failed inside the window
 * @param usage CPU time and context switches per call over the window, or {@code null}
 */
public record Stats(long calls, long windowNanos, long p50Nanos, long p99Nanos, long errors, CpuMeter.Usage usage) {

	/** @return these stats with the usage of the window */
	Stats withUsage(CpuMeter.Usage usage) {
		return new Stats(this.calls, this.windowNanos, this.p50Nanos, this.p99Nanos, this.errors, usage);
	}

	/** @return calls per second */
	public double throughput() {
		return (this.windowNanos > 0) ? this.calls * 1e9 / this.windowNanos : 0;
	}

	/**
	 * Stats of latency samples (sorted in place).
	 * @param latencies the samples, in nanoseconds
	 * @param windowNanos the window's length
	 * @param errors failures in the window
	 * @return the stats
	 */
	static Stats of(long[] latencies, long windowNanos, long errors) {
		Arrays.sort(latencies);
		return new Stats(latencies.length, windowNanos, percentile(latencies, 0.50), percentile(latencies, 0.99),
				errors, null);
	}

	/** Nearest-rank percentile, as esb_bench:percentile/3 computes it. */
	static long percentile(long[] sorted, double p) {
		int n = sorted.length;
		if (n == 0) {
			return 0;
		}
		int rank = (int) Math.ceil(p * n);
		return sorted[Math.max(1, Math.min(n, rank)) - 1];
	}

}
