package io.github.erlangspring.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH microbenchmarks ({@code DistCodecBench}, {@code ConverterBench}: every
 * {@code @Benchmark} of this module) with JMH's GC profiler, and writes {@code jmh.md} (each
 * {@code …Ours} benchmark next to its {@code …Raw} JInterface counterpart, with the ratio) and
 * {@code jmh.json} to the output directory, with the load average and whether the run is
 * publishable. See benchmarks/README.md.
 *
 * <pre>
 * java -cp … io.github.erlangspring.bench.JmhMain [--forks=1] [--warmup=3] [--iterations=5] [--time-ms=1000] [--include=REGEX]
 * </pre>
 */
public final class JmhMain {

	/** Every benchmark of this module (their classes end in "Bench"). */
	static final String INCLUDE = "io\\.github\\.erlangspring\\..*Bench\\..*";

	/** How long to measure. */
	record Settings(int forks, int warmupIterations, int iterations, long iterationMillis, String include, Path out) {

		static Settings parse(String[] args, Path out) {
			Settings s = new Settings(1, 3, 5, 1000, INCLUDE, out);
			for (String arg : args) {
				String[] kv = arg.split("=", 2);
				if (kv.length != 2) {
					throw new IllegalArgumentException("unknown argument " + arg);
				}
				s = switch (kv[0]) {
					case "--forks" -> new Settings(Integer.parseInt(kv[1]), s.warmupIterations, s.iterations,
							s.iterationMillis, s.include, out);
					case "--warmup" -> new Settings(s.forks, Integer.parseInt(kv[1]), s.iterations, s.iterationMillis,
							s.include, out);
					case "--iterations" -> new Settings(s.forks, s.warmupIterations, Integer.parseInt(kv[1]),
							s.iterationMillis, s.include, out);
					case "--time-ms" -> new Settings(s.forks, s.warmupIterations, s.iterations, Long.parseLong(kv[1]),
							s.include, out);
					case "--include" -> new Settings(s.forks, s.warmupIterations, s.iterations, s.iterationMillis, kv[1],
							out);
					default -> throw new IllegalArgumentException("unknown argument " + arg);
				};
			}
			return s;
		}
	}

	/** One benchmark with one set of parameters: its score (ns/op) and allocation (B/op, -1 if unknown). */
	record Row(String benchmark, String params, double nanos, double error, double bytes) {

		String method() {
			return this.benchmark.substring(this.benchmark.lastIndexOf('.') + 1);
		}

		String className() {
			String cls = this.benchmark.substring(0, this.benchmark.lastIndexOf('.'));
			return cls.substring(cls.lastIndexOf('.') + 1);
		}
	}

	private JmhMain() {
	}

	public static void main(String[] args) throws Exception {
		Settings settings;
		try {
			settings = Settings.parse(args, Path.of(System.getProperty("bench.out", "benchmarks/target")));
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		List<Row> rows = run(settings);
		System.out.println(Files.readString(settings.out().resolve("jmh.md")));
		System.exit(rows.isEmpty() ? 1 : 0);
	}

	/** Runs the benchmarks and writes jmh.md and jmh.json. */
	static List<Row> run(Settings settings) throws RunnerException, IOException {
		String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		double loadBefore = LoadAverage.before();
		ChainedOptionsBuilder options = new OptionsBuilder().include(settings.include())
			.forks(settings.forks())
			.warmupIterations(settings.warmupIterations())
			.warmupTime(TimeValue.milliseconds(settings.iterationMillis()))
			.measurementIterations(settings.iterations())
			.measurementTime(TimeValue.milliseconds(settings.iterationMillis()))
			.addProfiler(GCProfiler.class)
			.jvmArgsAppend("-Xms512m", "-Xmx512m");
		Collection<RunResult> results = new Runner(options.build()).run();
		List<Row> rows = new ArrayList<>();
		for (RunResult result : results) {
			Result<?> primary = result.getPrimaryResult();
			Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
			rows.add(new Row(result.getParams().getBenchmark(), params(result), primary.getScore(),
					primary.getScoreError(), (alloc != null) ? alloc.getScore() : -1));
		}
		double loadAfter = LoadAverage.now();
		double max = LoadAverage.max();
		int cpus = Runtime.getRuntime().availableProcessors();
		Files.createDirectories(settings.out());
		Files.writeString(settings.out().resolve("jmh.md"), markdown(rows, started, loadBefore, loadAfter, max, cpus));
		Files.writeString(settings.out().resolve("jmh.json"),
				json(rows, settings, started, loadBefore, loadAfter, max, cpus));
		return rows;
	}

	private static String params(RunResult result) {
		StringBuilder params = new StringBuilder();
		for (String key : result.getParams().getParamsKeys()) {
			params.append((params.length() > 0) ? "," : "").append(key).append('=').append(result.getParams().getParam(key));
		}
		return params.toString();
	}

	/** Each {@code xOurs} row with the {@code xRaw} row of the same class and parameters. */
	static Map<Row, Row> pairs(List<Row> rows) {
		Map<Row, Row> pairs = new LinkedHashMap<>();
		for (Row ours : rows) {
			if (ours.method().endsWith("Ours")) {
				String raw = ours.benchmark().replaceFirst("Ours$", "Raw");
				rows.stream()
					.filter((r) -> r.benchmark().equals(raw) && r.params().equals(ours.params()))
					.findFirst()
					.ifPresent((r) -> pairs.put(ours, r));
			}
		}
		return pairs;
	}

	static String markdown(List<Row> rows, String started, double loadBefore, double loadAfter, double max, int cpus) {
		StringBuilder md = new StringBuilder(LoadAverage.banner(loadBefore, max, cpus));
		md.append("# erlang-spring-boot microbenchmarks (JMH)\n\n");
		md.append(String.format(Locale.ROOT,
				"Run %s of %s on %d CPUs; Java %s. Average time per operation, single thread; B/op from JMH's GC "
						+ "profiler (gc.alloc.rate.norm). Load average (1 min): %.2f before (limit %.2f: %s), "
						+ "%.2f after.%n%n",
				started, Report.revision(), cpus, System.getProperty("java.runtime.version"), loadBefore, max,
				LoadAverage.publishable(loadBefore, max) ? "publishable" : "not publishable", loadAfter));
		md.append("ours: this project's code path; raw: plain JInterface on the same bytes or terms; "
				+ "ours/raw above 1 is what our code costs on top.\n\n");
		md.append("| benchmark | params | ours ns/op | raw ns/op | ours/raw | ours B/op | raw B/op |\n");
		md.append("|---|---|--:|--:|--:|--:|--:|\n");
		pairs(rows).forEach((ours, raw) -> md.append(String.format(Locale.ROOT,
				"| %s.%s | %s | %s | %s | %.2f× | %s | %s |%n", ours.className(),
				ours.method().replaceFirst("Ours$", ""), ours.params().isEmpty() ? "–" : ours.params(), score(ours),
				score(raw), ours.nanos() / raw.nanos(), bytes(ours.bytes()), bytes(raw.bytes()))));
		return md.toString();
	}

	private static String json(List<Row> rows, Settings settings, String started, double loadBefore, double loadAfter,
			double max, int cpus) {
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("started", started);
		root.put("revision", Report.revision());
		root.put("cpus", cpus);
		root.put("java", System.getProperty("java.runtime.version"));
		root.put("loadAverageBefore", loadBefore);
		root.put("loadAverageAfter", loadAfter);
		root.put("maxLoadAverage", max);
		root.put("publishable", LoadAverage.publishable(loadBefore, max));
		root.put("forks", settings.forks());
		root.put("warmupIterations", settings.warmupIterations());
		root.put("iterations", settings.iterations());
		root.put("iterationMillis", settings.iterationMillis());
		List<Object> benchmarks = new ArrayList<>();
		for (Row row : rows) {
			Map<String, Object> b = new LinkedHashMap<>();
			b.put("benchmark", row.benchmark());
			b.put("params", row.params());
			b.put("nanosPerOp", round(row.nanos()));
			b.put("error", round(row.error()));
			b.put("bytesPerOp", round(row.bytes()));
			benchmarks.add(b);
		}
		root.put("benchmarks", benchmarks);
		List<Object> comparisons = new ArrayList<>();
		pairs(rows).forEach((ours, raw) -> {
			Map<String, Object> c = new LinkedHashMap<>();
			c.put("ours", ours.benchmark());
			c.put("raw", raw.benchmark());
			c.put("params", ours.params());
			c.put("ratio", round(ours.nanos() / raw.nanos()));
			comparisons.add(c);
		});
		root.put("comparisons", comparisons);
		StringBuilder out = new StringBuilder();
		Report.writeJson(out, root, "");
		return out.append('\n').toString();
	}

	private static String score(Row row) {
		String score = String.format(Locale.ROOT, "%,.0f", row.nanos());
		return Double.isFinite(row.error()) ? score + String.format(Locale.ROOT, " ± %,.0f", row.error()) : score;
	}

	private static String bytes(double bytes) {
		return (bytes < 0) ? "?" : String.format(Locale.ROOT, "%,.0f", bytes);
	}

	private static Double round(double value) {
		return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
	}

}
