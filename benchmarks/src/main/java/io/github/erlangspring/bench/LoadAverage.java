package io.github.erlangspring.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 1-minute load average, and whether a run may be published: only if the load average before
 * it was at most {@code bench.maxLoad} (default {@value #DEFAULT_MAX}, "well under 1" on the
 * project's 2-core machine; {@code BENCH_MAX_LOAD} in ./run-bench). The load during a run is high
 * by design (the benchmark keeps the cores busy): only the figure before counts.
 */
final class LoadAverage {

	static final double DEFAULT_MAX = 1.0;

	private static final Pattern UPTIME = Pattern.compile("load averages?: *([0-9]+[.,][0-9]+)");

	private LoadAverage() {
	}

	/** @return the 1-minute load average now, from /proc/loadavg or {@code uptime}; -1 if unknown */
	static double now() {
		try {
			return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
		}
		catch (IOException | RuntimeException ex) {
			return fromUptime();
		}
	}

	/** @return the load average ./run-bench read before it started the JVM, else {@link #now()} */
	static double before() {
		String given = System.getProperty("bench.loadBefore");
		return (given != null && !given.isBlank()) ? Double.parseDouble(given) : now();
	}

	static double max() {
		return Double.parseDouble(System.getProperty("bench.maxLoad", String.valueOf(DEFAULT_MAX)));
	}

	static boolean publishable(double before, double max) {
		return before >= 0 && before <= max;
	}

	/** The banner at the top of a report of a run that is not publishable, else "". */
	static String banner(double before, double max, int cpus) {
		if (publishable(before, max)) {
			return "";
		}
		return String.format(java.util.Locale.ROOT, "# ⚠ NOT PUBLISHABLE: busy machine%n%n> Load average %s before the "
				+ "run, above the limit of %.2f (%d cores; bench.maxLoad / BENCH_MAX_LOAD). Use these figures for "
				+ "their shape only; publish only a run on a quiet machine.%n%n",
				(before < 0) ? "unknown" : String.format(java.util.Locale.ROOT, "%.2f", before), max, cpus);
	}

	private static double fromUptime() {
		try {
			Process process = new ProcessBuilder("uptime").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			Matcher matcher = UPTIME.matcher(output);
			return matcher.find() ? Double.parseDouble(matcher.group(1).replace(',', '.')) : -1;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

}
