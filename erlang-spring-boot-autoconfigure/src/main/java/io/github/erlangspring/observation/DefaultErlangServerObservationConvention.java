package io.github.erlangspring.observation;

import io.micrometer.common.KeyValues;

/**
 * {@code erlang.server.requests}, named for the interaction and its target; the caller's pid is a
 * high-cardinality key (spans and logs, not metrics).
 */
public class DefaultErlangServerObservationConvention implements ErlangServerObservationConvention {

	/** The observation's name, and the timer's. */
	public static final String NAME = "erlang.server.requests";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(ErlangServerContext context) {
		return context.getInteraction().value() + " " + context.getTarget();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(ErlangServerContext context) {
		return KeyValues.of(ErlangKeyNames.common(context));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(ErlangServerContext context) {
		return (context.getCallerPid() != null) ? KeyValues.of(ErlangKeyNames.CALLER_PID, context.getCallerPid())
				: KeyValues.empty();
	}

}
