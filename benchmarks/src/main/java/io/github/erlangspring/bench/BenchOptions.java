package io.github.erlangspring.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of a run, from {@code --key=value} arguments (system properties {@code bench.key} give
 * the defaults).
 *
 * @param warmup closed-loop load before each measurement window
 * @param measure length of each measurement window
 * @param concurrency the numbers of concurrent callers to measure
 * @param scenarios ids of the scenarios to run, empty for all
 * @param variants ids of the variants to measure ({@link Variants}), empty for all
 * @param out where results.md and results.json go
 * @param ebin where esb_bench.beam is (the module's build puts it in target/erlang/ebin)
 * @param jinterfaceServerThreads threads serving the JInterface stand-in for erpc (one OtpMbox)
 * @param prime how long each variant of a scenario runs (8 callers, results dropped) before the
 * scenario is measured, so that the JIT has compiled every variant's code; zero to skip
 */
public record BenchOptions(Duration warmup, Duration measure, List<Integer> concurrency, List<String> scenarios,
		List<String> variants, Path out, Path ebin, int jinterfaceServerThreads, Duration prime) {

	static final String USAGE = """
			usage: BenchMain [--warmup=SECONDS] [--measure=SECONDS] [--concurrency=1,8,64]
			                 [--scenarios=ID,...] [--variants=erlang,jinterface,esb] [--out=DIR] [--ebin=DIR] [--jinterface-server-threads=N] [--prime=SECONDS]
			  defaults: --warmup=3 --measure=5 --concurrency=1,8,64, all scenarios and variants, --out=target,
			            --ebin=target/erlang/ebin, --jinterface-server-threads=1, --prime=2""";

	static BenchOptions parse(String[] args) {
		Map<String, String> values = new LinkedHashMap<>();
		for (String key : List.of("warmup", "measure", "concurrency", "scenarios", "variants", "out", "ebin",
				"jinterface-server-threads", "prime")) {
			String property = System.getProperty("bench." + key);
			if (property != null) {
				values.put(key, property);
			}
		}
		for (String arg : args) {
			if (arg.equals("-h") || arg.equals("--help")) {
				throw new IllegalArgumentException(USAGE);
			}
			int eq = arg.indexOf('=');
			if (!arg.startsWith("--") || eq < 0) {
				throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
			}
			values.put(arg.substring(2, eq), arg.substring(eq + 1));
		}
		BenchOptions options = new BenchOptions(seconds(values.remove("warmup"), 3), seconds(values.remove("measure"), 5),
				ints(values.getOrDefault("concurrency", "1,8,64")), strings(values.getOrDefault("scenarios", "")),
				strings(values.getOrDefault("variants", "")),
				Path.of(values.getOrDefault("out", "target")).toAbsolutePath(),
				Path.of(values.getOrDefault("ebin", "target/erlang/ebin")).toAbsolutePath(),
				Integer.parseInt(values.getOrDefault("jinterface-server-threads", "1")), seconds(values.remove("prime"), 2));
		values.keySet().removeAll(List.of("concurrency", "scenarios", "variants", "out", "ebin", "jinterface-server-threads"));
		if (!values.isEmpty()) {
			throw new IllegalArgumentException("unknown option(s) " + values.keySet() + "\n" + USAGE);
		}
		if (options.measure().isZero() || options.measure().isNegative()) {
			throw new IllegalArgumentException("--measure must be positive");
		}
		if (options.concurrency().isEmpty() || options.concurrency().stream().anyMatch((c) -> c < 1)) {
			throw new IllegalArgumentException("--concurrency needs positive numbers");
		}
		return options;
	}

	/** @return the options of a priming pass: 8 callers, warmup {@link #prime()}, a short window */
	BenchOptions forPriming() {
		return new BenchOptions(this.prime, Duration.ofMillis(200), List.of(8), this.scenarios, this.variants, this.out,
				this.ebin, this.jinterfaceServerThreads, Duration.ZERO);
	}

	private static Duration seconds(String value, double otherwise) {
		double s = (value != null) ? Double.parseDouble(value) : otherwise;
		return Duration.ofMillis(Math.round(s * 1000));
	}

	private static List<Integer> ints(String csv) {
		List<Integer> list = new ArrayList<>();
		for (String s : strings(csv)) {
			list.add(Integer.parseInt(s));
		}
		return list;
	}

	private static List<String> strings(String csv) {
		List<String> list = new ArrayList<>();
		for (String s : csv.split(",")) {
			if (!s.isBlank()) {
				list.add(s.strip());
			}
		}
		return list;
	}

}
