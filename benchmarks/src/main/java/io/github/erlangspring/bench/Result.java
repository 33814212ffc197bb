package io.github.erlangspring.bench;

/**
 * One row of the report: a scenario measured one way at one concurrency.
 *
 * @param scenario the scenario's id
 * @param variant the variant's id ({@link Variants})
 * @param variantLabel how the report names the variant
 * @param concurrency concurrent callers
 * @param timedBy where calls were timed: {@code "erlang"} (erlang:monotonic_time) or {@code "java"}
 * (System.nanoTime)
 * @param stats the measurement
 */
public record Result(String scenario, String variant, String variantLabel, int concurrency, String timedBy,
		Stats stats) {
}
