package io.github.erlangspring.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short run of every scenario (a fraction of a second per measurement, two callers, one start
 * for start-up), to check that the harness works: every scenario runs to the end, every variant
 * completes calls without errors, and the table, the JSON and the chart are written. The figures
 * of such a run mean nothing; ./run-bench takes the real ones.
 */
class BenchSmokeTests {

	@Test
	void everyScenarioRunsAndTheReportIsWritten(@TempDir Path out) throws Exception {
		BenchOptions options = new BenchOptions(Duration.ofMillis(200), Duration.ofMillis(500), List.of(2), List.of(),
				List.of(), out, Path.of("target", "erlang", "ebin").toAbsolutePath(), 1, Duration.ZERO);

		System.setProperty("bench.soak", "3");
		boolean completed;
		try {
			completed = BenchMain.run(options, BenchMain.SCENARIOS);
		}
		finally {
			System.clearProperty("bench.soak");
		}

		String markdown = Files.readString(out.resolve("results.md"));
		assertThat(markdown).doesNotContain("**Failed:**");
		assertThat(completed).as(markdown).isTrue();
		String json = Files.readString(out.resolve("results.json"));
		for (Scenario scenario : BenchMain.SCENARIOS) {
			assertThat(json).as("scenario %s in the JSON", scenario.id()).contains("\"" + scenario.id() + "\"");
		}
		assertThat(json).contains("\"" + Variants.ERLANG + "\"", "\"" + Variants.JINTERFACE + "\"", "\"" + Variants.ESB + "\"");
		assertThat(Files.size(out.resolve("results.png"))).isGreaterThan(10_000);
		assertThat(markdown).contains("Heap after GC");
		assertThat(json).doesNotContainPattern("\"errors\": [1-9]").doesNotContainPattern("\"calls\": 0\\b");
	}

}
