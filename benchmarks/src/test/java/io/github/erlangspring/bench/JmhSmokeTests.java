package io.github.erlangspring.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.github.erlangspring.bench.jmh.ConverterBench;
import io.github.erlangspring.node.dist.DistCodecBench;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every JMH benchmark once, in this JVM, for 100 ms without warm-up, to check the harness:
 * the annotation processor generated every benchmark, each produces a score and an allocation
 * figure, each {@code …Ours} has its {@code …Raw}, and jmh.md and jmh.json are written. The
 * figures of such a run mean nothing; ./run-bench --jmh takes the real ones.
 */
class JmhSmokeTests {

	/** Every benchmark, with its parameter sets; a new one must be added here. */
	private static final List<String> EXPECTED = List.of("ConverterBench.fromErlangOurs|", "ConverterBench.fromErlangRaw|",
			"ConverterBench.toErlangOurs|", "ConverterBench.toErlangRaw|", "DistCodecBench.decodeOurs|term=gen_call",
			"DistCodecBench.decodeOurs|term=map_1k", "DistCodecBench.decodeRaw|term=gen_call",
			"DistCodecBench.decodeRaw|term=map_1k", "DistCodecBench.encodeOurs|term=gen_call",
			"DistCodecBench.encodeOurs|term=map_1k", "DistCodecBench.encodeRaw|term=gen_call",
			"DistCodecBench.encodeRaw|term=map_1k");

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void everyBenchmarkProducesAScoreAndTheReportIsWritten(@TempDir Path out) throws Exception {
		List<JmhMain.Row> rows = JmhMain.run(new JmhMain.Settings(0, 0, 1, 100, JmhMain.INCLUDE, out));

		assertThat(rows).extracting((row) -> row.className() + "." + row.method() + "|" + row.params())
			.containsExactlyInAnyOrderElementsOf(EXPECTED);
		assertThat(rows).allSatisfy((row) -> {
			assertThat(row.nanos()).as("ns/op of %s", row).isFinite().isPositive();
			assertThat(row.bytes()).as("B/op of %s", row).isFinite().isPositive();
		});
		assertThat(JmhMain.pairs(rows)).hasSize(EXPECTED.size() / 2);

		DocumentContext json = JsonPath.parse(Files.readString(out.resolve("jmh.json")));
		assertThat(json.<List<Object>>read("$.benchmarks[*]")).hasSize(EXPECTED.size());
		assertThat(json.<List<Double>>read("$.comparisons[*].ratio")).hasSize(EXPECTED.size() / 2)
			.allSatisfy((ratio) -> assertThat(ratio).isPositive());
		RunInfoAssertions.assertRunInfo(json, Files.readString(out.resolve("jmh.md")));
	}

	@Test
	void oursAndRawComputeTheSameThing() throws Exception {
		ConverterBench converter = new ConverterBench();
		assertThat(converter.toErlangOurs()).isEqualTo(converter.toErlangRaw());
		assertThat(converter.fromErlangOurs()).isEqualTo(converter.fromErlangRaw());
		for (String term : List.of("gen_call", "map_1k")) {
			DistCodecBench codec = new DistCodecBench();
			codec.term = term;
			codec.setup();
			byte[] ours = codec.encodeOurs();
			// ours = 4-byte length, pass-through byte, then the same terms as raw
			assertThat(Arrays.copyOfRange(ours, 5, ours.length)).as(term).isEqualTo(codec.encodeRaw());
		}
	}

}
