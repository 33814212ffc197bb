package io.github.erlangspring.observation;

import io.micrometer.common.KeyValues;

/** {@code erlang.client.requests}, named for the interaction and its target ({@code rpc greeter:hello/1}). */
public class DefaultErlangClientObservationConvention implements ErlangClientObservationConvention {

	/** The observation's name, and the timer's. */
	public static final String NAME = "erlang.client.requests";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ErlangClientContext context) {
		return context.getInteraction().value() + " " + context.getTarget();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ErlangClientContext context) {
		return KeyValues.of(ErlangKeyNames.common(context));
	}

}
