package io.github.erlangspring.bench;

import java.util.List;

/**
 * One benchmark scenario: measures something several ways ({@link Variants}) at each concurrency
 * of the run, reporting a {@link Result} per measurement. Register new ones in
 * {@link BenchMain#SCENARIOS}.
 */
public interface Scenario {

	/** @return a short id, used on the command line ({@code --scenarios=}) and in the JSON */
	String id();

	/** @return a one-line title for the report */
	String title();

	/** @return notes printed under the scenario's table (how each variant is measured) */
	List<String> notes(BenchContext context);

	/**
	 * Runs every variant at every concurrency of {@link BenchContext#options()}.
	 * @param context the shared Erlang nodes, options and load generators
	 * @param results where each measurement goes as soon as it is made
	 * @throws Exception a failure ends the scenario (the runner goes on with the next)
	 */
	void run(BenchContext context, ResultSink results) throws Exception;

	/** Receives the measurements of a scenario. */
	@FunctionalInterface
	interface ResultSink {

		void add(Result result);

	}

}
