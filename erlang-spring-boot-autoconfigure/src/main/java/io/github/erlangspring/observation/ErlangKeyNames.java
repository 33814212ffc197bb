package io.github.erlangspring.observation;

import io.micrometer.common.KeyValue;

/** The keys of Erlang observations, and the values shared by the default conventions. */
public final class ErlangKeyNames {

	/** Low cardinality: {@link ErlangInteraction#value()}. */
	public static final String INTERACTION = "erlang.interaction";

	/** Low cardinality: the node on the other side. */
	public static final String PEER = "erlang.peer";

	/** Low cardinality: {@code module:function/arity}, a process name, a topic or a state operation. */
	public static final String TARGET = "erlang.target";

	/** Low cardinality: {@code SUCCESS} or {@code ERROR}. */
	public static final String OUTCOME = "outcome";

	/** Low cardinality: the simple class name of the exception, or {@code none}. */
	public static final String EXCEPTION = "exception";

	/** High cardinality (server side): the Erlang pid that asked. */
	public static final String CALLER_PID = "erlang.caller.pid";

	private ErlangKeyNames() {
	}

	static KeyValue[] common(ErlangObservationContext context) {
		Throwable error = context.getError();
		return new KeyValue[] { KeyValue.of(INTERACTION, context.getInteraction().value()),
				KeyValue.of(PEER, context.getPeer()), KeyValue.of(TARGET, context.getTarget()),
				KeyValue.of(OUTCOME, (error != null) ? "ERROR" : "SUCCESS"),
				KeyValue.of(EXCEPTION, (error != null) ? error.getClass().getSimpleName() : "none") };
	}

}
