package io.github.erlangspring.bench;

import com.jayway.jsonpath.DocumentContext;

import static org.assertj.core.api.Assertions.assertThat;

/** What every report (results.json/md, jmh.json/md) says about its run: commit, date, cores, load. */
final class RunInfoAssertions {

	private RunInfoAssertions() {
	}

	static void assertRunInfo(DocumentContext json, String markdown) {
		assertThat(json.<String>read("$.started")).isNotBlank();
		assertThat(json.<String>read("$.revision")).isNotBlank();
		assertThat(json.<Integer>read("$.cpus")).isPositive();
		double before = json.<Number>read("$.loadAverageBefore").doubleValue();
		double max = json.<Number>read("$.maxLoadAverage").doubleValue();
		assertThat(before).isGreaterThanOrEqualTo(0);
		assertThat(json.<Number>read("$.loadAverageAfter").doubleValue()).isGreaterThanOrEqualTo(0);
		assertThat(max).isEqualTo(LoadAverage.DEFAULT_MAX);
		boolean publishable = json.read("$.publishable", Boolean.class);
		assertThat(publishable).as("publishable with load %s, limit %s", before, max).isEqualTo(before <= max);
		if (publishable) {
			assertThat(markdown).doesNotContain("NOT PUBLISHABLE");
		}
		else {
			assertThat(markdown).startsWith("# ⚠ NOT PUBLISHABLE");
		}
	}

}
