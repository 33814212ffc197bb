package io.github.erlangspring.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.erlangspring.node.epmd.EpmdClient;
import io.github.erlangspring.node.epmd.NodeAddress;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;

/**
 * F. Start-up time: from starting the operating-system process to its node being registered in
 * EPMD (what a peer needs to reach it), for a bare {@code erl} node and for the sample Spring
 * Boot application ({@code java -jar sample-app.jar}). Each is started {@link #STARTS} times (once
 * per concurrency of the run is not meaningful here: starts run one at a time).
 */
final class StartupScenario implements Scenario {

	static final int STARTS = 5;

	private static final Duration LIMIT = Duration.ofSeconds(60);

	@Override
	public String id() {
		return "startup";
	}

	@Override
	public String title() {
		return "F. start-up to \"node registered in EPMD\" (process start → EPMD answers its name)";
	}

	@Override
	public List<String> notes(BenchContext context) {
		return List.of("One start at a time, " + starts(context) + " starts per variant; **calls/s is starts per second** "
				+ "(1 / mean time), p50/p99 are the start-up times (p99 = the slowest start).",
				"`erlang`: `erl -noshell -name N -setcookie C`.",
				"`esb`: `java -jar sample-app.jar --erlang.node=N` (the sample application: web server, RPC and process "
						+ "endpoints, pub/sub, state), default JVM options. JInterface has no application to start.");
	}

	private static int starts(BenchContext context) {
		return (context.options().measure().toMillis() < 2000) ? 1 : STARTS;
	}

	@Override
	public void run(BenchContext context, ResultSink results) throws Exception {
		Path jar = sampleJar().orElseThrow(() -> new IllegalStateException(
				"sample-app/target/sample-app-*.jar not found: build the project first (./run-bench does)"));
		int starts = starts(context);
		if (context.wants(Variants.ERLANG)) {
			context.progress(id() + ": erlang, " + starts + " starts");
			results.add(new Result(id(), Variants.ERLANG, "erl node", 1, "java", measure(starts, (alive) -> List.of(
					ErlangRuntime.erl().toString(), "-noshell", "-name", alive + "@127.0.0.1", "-setcookie",
					context.cookie()))));
		}
		if (context.wants(Variants.ESB)) {
			context.progress(id() + ": esb, " + starts + " starts");
			String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
			results.add(new Result(id(), Variants.ESB, "sample Spring Boot app", 1, "java",
					measure(starts, (alive) -> List.of(java, "-jar", jar.toString(), "--erlang.node=" + alive + "@127.0.0.1",
							"--erlang.cookie=" + context.cookie(), "--server.port=0", "--spring.main.banner-mode=off"))));
		}
	}

	/** The sample application's jar, from the repository root or from benchmarks/. */
	static Optional<Path> sampleJar() throws IOException {
		for (Path dir : List.of(Path.of("sample-app", "target"), Path.of("..", "sample-app", "target"))) {
			if (Files.isDirectory(dir)) {
				try (Stream<Path> files = Files.list(dir)) {
					Optional<Path> jar = files
						.filter((f) -> f.getFileName().toString().matches("sample-app-.*\\.jar")
								&& !f.getFileName().toString().endsWith("-plain.jar"))
						.findFirst();
					if (jar.isPresent()) {
						return jar;
					}
				}
			}
		}
		return Optional.empty();
	}

	private Stats measure(int starts, Command command) throws Exception {
		EpmdClient epmd = new EpmdClient(4369, Duration.ofSeconds(2));
		ErlangRuntime.ensureEpmd();
		long[] times = new long[starts];
		long total = 0;
		for (int i = 0; i < starts; i++) {
			String alive = ErlangPeer.uniqueAlive("esb_bench_up");
			long start = System.nanoTime();
			Process process = new ProcessBuilder(new ArrayList<>(command.args(alive)))
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			try {
				long deadline = start + LIMIT.toNanos();
				Optional<NodeAddress> found = Optional.empty();
				while (found.isEmpty()) {
					if (!process.isAlive()) {
						throw new IllegalStateException(command.args(alive).get(0) + " exited with " + process.exitValue()
								+ " before registering " + alive);
					}
					if (System.nanoTime() > deadline) {
						throw new IllegalStateException(alive + " did not register within " + LIMIT);
					}
					found = epmd.lookup("127.0.0.1", alive);
					if (found.isEmpty()) {
						// polling EPMD is the only way to see the registration from outside
						TimeUnit.MILLISECONDS.sleep(5);
					}
				}
				times[i] = System.nanoTime() - start;
				total += times[i];
			}
			finally {
				// only the start is measured: no need for a graceful stop
				process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
			}
		}
		Stats stats = Stats.of(times, total, 0);
		// p99 of a handful of starts is the slowest one
		return new Stats(stats.calls(), total, stats.p50Nanos(), times[times.length - 1], 0, null);
	}

	@FunctionalInterface
	private interface Command {

		List<String> args(String alive);

	}

}
