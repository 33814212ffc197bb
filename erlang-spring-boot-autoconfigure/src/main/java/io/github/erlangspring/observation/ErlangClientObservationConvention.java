package io.github.erlangspring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The name and key values of {@code erlang.client.requests} observations. Define a bean of this
 * type to replace {@link DefaultErlangClientObservationConvention} (extend it to add to it).
 */
public interface ErlangClientObservationConvention extends ObservationConvention<ErlangClientContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof ErlangClientContext;
	}

}
