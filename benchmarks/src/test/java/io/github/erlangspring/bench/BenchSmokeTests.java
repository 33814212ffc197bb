package io.github.erlangspring.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short run of every scenario (a fraction of a second per measurement, two callers, one start
 * for start-up), to check that the harness works: every scenario runs to the end, every variant
 * completes calls without errors, and the table, the JSON and the chart are written. The figures
 * of such a run mean nothing; ./run-bench takes the real ones.
 */
class BenchSmokeTests {

	private static final Set<String> ALL = Set.of(Variants.ERLANG, Variants.JINTERFACE, Variants.ESB);

	/** The variants each scenario measures; a new scenario must be added here. */
	private static final Map<String, Set<String>> EXPECTED = Map.of("genserver-call", ALL, "erpc-into-java", ALL,
			"messages-to-java-small", ALL, "messages-to-java-10k", ALL, "messages-from-java-small", ALL,
			"messages-from-java-10k", ALL, "genserver-into-java", ALL, "rpc-from-java", ALL, "startup",
			Set.of(Variants.ERLANG, Variants.ESB), "soak", Set.of(Variants.ESB));

	@Test
	@Timeout(value = 20, unit = TimeUnit.MINUTES)
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
		DocumentContext json = JsonPath.parse(Files.readString(out.resolve("results.json")));
		assertThat(BenchMain.SCENARIOS).extracting(Scenario::id).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
		assertThat(json.<List<String>>read("$.scenarios[*].id")).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
		EXPECTED.forEach((scenario, variants) -> {
			String path = "$.scenarios[?(@.id == '" + scenario + "')]";
			assertThat(json.<List<Object>>read(path + ".failure")).as("failure of %s", scenario).isEmpty();
			List<Map<String, Object>> rows = json.read(path + ".results[*]");
			for (String variant : variants) {
				assertThat(rows).as("rows of %s, variant %s", scenario, variant)
					.anySatisfy((row) -> assertThat(row).containsEntry("variant", variant));
			}
			assertThat(rows).as("rows of %s", scenario).allSatisfy((row) -> {
				assertThat(variants).contains((String) row.get("variant"));
				assertThat(((Number) row.get("calls")).longValue()).as("calls in %s", row).isPositive();
				assertThat(((Number) row.get("errors")).longValue()).as("errors in %s", row).isZero();
			});
		});
		assertThat(Files.size(out.resolve("results.png"))).isGreaterThan(10_000);
		assertThat(markdown).contains("Heap after GC");
		RunInfoAssertions.assertRunInfo(json, markdown);
	}

}
