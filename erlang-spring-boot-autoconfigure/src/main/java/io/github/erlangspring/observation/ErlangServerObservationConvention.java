package io.github.erlangspring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name and key values of {@code erlang.server.requests} observations. Define a bean of this
 * type to replace {@link DefaultErlangServerObservationConvention} (extend it to add to it).
 */
public interface ErlangServerObservationConvention extends ObservationConvention<ErlangServerContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ErlangServerContext;
	}

}
