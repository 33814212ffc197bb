package io.github.erlangspring.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results of a run as a Markdown report (also printed) and as JSON, with each row's
 * throughput ratio against the {@code erlang} and {@code jinterface} rows of the same scenario
 * and concurrency.
 */
final class Report {

	/** What was run where. */
	record Environment(String started, int cpus, String java, String otp, String jinterface, double loadBefore,
			double loadAfter, double maxLoad, BenchOptions options) {

		boolean publishable() {
			return LoadAverage.publishable(this.loadBefore, this.maxLoad);
		}
	}

	/** A scenario of the run: its title and notes, its results, and how it failed if it did. */
	record Section(Scenario scenario, List<String> notes, List<Result> results, String failure) {
	}

	private final Environment environment;

	private final List<Section> sections;

	Report(Environment environment, List<Section> sections) {
		this.environment = environment;
		this.sections = sections;
	}

	static Double ratio(Result row, List<Result> all, String reference) {
		for (Result other : all) {
			if (other.scenario().equals(row.scenario()) && other.concurrency() == row.concurrency()
					&& other.variant().equals(reference) && other.stats().throughput() > 0) {
				return row.stats().throughput() / other.stats().throughput();
			}
		}
		return null;
	}

	static Double latencyRatio(Result row, List<Result> all, String reference) {
		for (Result other : all) {
			if (other.scenario().equals(row.scenario()) && other.concurrency() == row.concurrency()
					&& other.variant().equals(reference) && other.stats().p50Nanos() > 0) {
				return (double) row.stats().p50Nanos() / other.stats().p50Nanos();
			}
		}
		return null;
	}

	String markdown() {
		Environment env = this.environment;
		StringBuilder md = new StringBuilder();
		md.append(LoadAverage.banner(env.loadBefore(), env.maxLoad(), env.cpus()));
		md.append("# erlang-spring-boot benchmarks\n\n");
		md.append(String.format(Locale.ROOT,
				"Run %s of %s on %d CPUs; Java %s; Erlang/OTP %s; JInterface %s. Each row: %s s warmup, then %s s "
						+ "measured; closed loop (every caller waits for its reply before calling again). Before a "
						+ "scenario, each of its variants runs %s s with 8 callers (dropped) to warm up the JIT. "
						+ "Load average (1 min): %.2f before (limit %.2f: %s), %.2f after.%n%n",
				env.started(), revision(), env.cpus(), env.java(), env.otp(), env.jinterface(), seconds(env.options().warmup().toMillis()),
				seconds(env.options().measure().toMillis()), seconds(env.options().prime().toMillis()), env.loadBefore(),
				env.maxLoad(), env.publishable() ? "publishable" : "not publishable", env.loadAfter()));
		md.append("> **Noisy numbers.** The JVM and both erl nodes share this machine's ").append(env.cpus())
			.append(" cores, and other builds and tests may run on it at the same time. Compare rows of one run "
					+ "(variants of a concurrency are measured back to back); treat differences under ~20% as noise.\n\n");
		md.append("calls/s: calls completed in the window / window; p50, p99: latency of those calls in µs. "
				+ "vs Erlang, vs JInterface: calls/s of the row / calls/s of that variant at the same concurrency. "
				+ "CPU µs/call: CPU time (user + system) used during the window by this JVM, and by the two erl "
				+ "nodes together, divided by the calls (from /proc; it includes whatever else the process did, "
				+ "the erl figure has 10 ms resolution and includes the BEAM schedulers' busy-waiting, so it overstates "
				+ "the work per call at low load). JVM ctx sw/call: context switches of all JVM threads per call "
				+ "(a measure of thread hand-offs).\n");
		for (Section section : this.sections) {
			md.append("\n## ").append(section.scenario().title()).append(" (`").append(section.scenario().id())
				.append("`)\n\n");
			if (!section.results().isEmpty()) {
				md.append("| variant | callers | calls/s | p50 µs | p99 µs | vs Erlang | vs JInterface "
						+ "| JVM CPU µs/call | erl CPU µs/call | JVM ctx sw/call | errors | timed in |\n");
				md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n");
				for (Result r : section.results()) {
					Stats s = r.stats();
					CpuMeter.Usage u = s.usage();
					md.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %s | %s | %s | %s | %s | %s | %s | %d | %s |%n",
							r.variantLabel(), r.concurrency(), s.throughput(), micros(s.p50Nanos()), micros(s.p99Nanos()),
							times(ratio(r, section.results(), Variants.ERLANG)),
							times(ratio(r, section.results(), Variants.JINTERFACE)),
							(u != null) ? number(u.jvmCpuMicros()) : "–", (u != null) ? number(u.erlCpuMicros()) : "–",
							(u != null) ? number(u.jvmSwitches()) : "–", s.errors(), r.timedBy()));
				}
				md.append('\n');
			}
			if (section.failure() != null) {
				md.append("**Failed:** ").append(section.failure()).append("\n\n");
			}
			for (String note : section.notes()) {
				md.append("- ").append(note).append('\n');
			}
		}
		return md.toString();
	}

	String json() {
		Environment env = this.environment;
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("started", env.started());
		root.put("revision", revision());
		root.put("cpus", env.cpus());
		root.put("java", env.java());
		root.put("otp", env.otp());
		root.put("jinterface", env.jinterface());
		root.put("loadAverageBefore", env.loadBefore());
		root.put("loadAverageAfter", env.loadAfter());
		root.put("maxLoadAverage", env.maxLoad());
		root.put("publishable", env.publishable());
		root.put("warmupSeconds", seconds(env.options().warmup().toMillis()));
		root.put("measureSeconds", seconds(env.options().measure().toMillis()));
		root.put("primeSeconds", seconds(env.options().prime().toMillis()));
		root.put("note", "noisy: shared 2-core machine, other builds may run concurrently");
		List<Object> scenarios = new ArrayList<>();
		for (Section section : this.sections) {
			Map<String, Object> sc = new LinkedHashMap<>();
			sc.put("id", section.scenario().id());
			sc.put("title", section.scenario().title());
			sc.put("notes", section.notes());
			if (section.failure() != null) {
				sc.put("failure", section.failure());
			}
			List<Object> rows = new ArrayList<>();
			for (Result r : section.results()) {
				Map<String, Object> row = new LinkedHashMap<>();
				row.put("variant", r.variant());
				row.put("label", r.variantLabel());
				row.put("concurrency", r.concurrency());
				row.put("timedBy", r.timedBy());
				row.put("calls", r.stats().calls());
				row.put("windowNanos", r.stats().windowNanos());
				row.put("callsPerSecond", Math.round(r.stats().throughput() * 10) / 10.0);
				row.put("p50Nanos", r.stats().p50Nanos());
				row.put("p99Nanos", r.stats().p99Nanos());
				row.put("errors", r.stats().errors());
				CpuMeter.Usage u = r.stats().usage();
				if (u != null) {
					row.put("jvmCpuMicrosPerCall", round(u.jvmCpuMicros()));
					row.put("erlCpuMicrosPerCall", round(u.erlCpuMicros()));
					row.put("jvmContextSwitchesPerCall", round(u.jvmSwitches()));
					row.put("erlContextSwitchesPerCall", round(u.erlSwitches()));
				}
				row.put("throughputVsErlang", round(ratio(r, section.results(), Variants.ERLANG)));
				row.put("throughputVsJinterface", round(ratio(r, section.results(), Variants.JINTERFACE)));
				row.put("p50VsErlang", round(latencyRatio(r, section.results(), Variants.ERLANG)));
				row.put("p50VsJinterface", round(latencyRatio(r, section.results(), Variants.JINTERFACE)));
				rows.add(row);
			}
			sc.put("results", rows);
			scenarios.add(sc);
		}
		root.put("scenarios", scenarios);
		StringBuilder out = new StringBuilder();
		writeJson(out, root, "");
		return out.append('\n').toString();
	}

	void write(Path dir) throws IOException {
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("results.md"), markdown());
		Files.writeString(dir.resolve("results.json"), json());
		ResultChart.write(dir.resolve("results.png"), this.sections);
	}

	/** @return the commit measured, as run-bench passes it ({@code git describe --always --dirty}) */
	static String revision() {
		return System.getProperty("bench.revision", "unknown");
	}

	private static double seconds(long millis) {
		return millis / 1000.0;
	}

	private static String micros(long nanos) {
		return String.format(Locale.ROOT, (nanos < 10_000) ? "%.1f" : "%,.0f", nanos / 1000.0);
	}

	private static String number(double value) {
		return (value < 0) ? "?" : String.format(Locale.ROOT, (value < 10) ? "%.1f" : "%.0f", value);
	}

	private static String times(Double ratio) {
		return (ratio == null) ? "–" : String.format(Locale.ROOT, "%.2f×", ratio);
	}

	private static Double round(Double ratio) {
		return (ratio == null) ? null : Math.round(ratio * 1000) / 1000.0;
	}

	@SuppressWarnings("unchecked")
	static void writeJson(StringBuilder out, Object value, String indent) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof Map<?, ?> map) {
			out.append("{\n");
			int i = 0;
			for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
				out.append(indent).append("  ");
				string(out, e.getKey());
				out.append(": ");
				writeJson(out, e.getValue(), indent + "  ");
				out.append((++i < map.size()) ? ",\n" : "\n");
			}
			out.append(indent).append('}');
		}
		else if (value instanceof List<?> list) {
			out.append("[\n");
			for (int i = 0; i < list.size(); i++) {
				out.append(indent).append("  ");
				writeJson(out, list.get(i), indent + "  ");
				out.append((i + 1 < list.size()) ? ",\n" : "\n");
			}
			out.append(indent).append(']');
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else {
			string(out, value.toString());
		}
	}

	private static void string(StringBuilder out, String s) {
		out.append('"');
		for (char c : s.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
