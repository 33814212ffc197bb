package io.github.erlangspring.observation;

/**
 * What an Erlang observation is about: the kind of interaction, the node on the other side and
 * what it targets ({@code module:function/arity}, a process name, a topic). Implemented by
 * {@link ErlangClientContext} (a sender context: tracing injects the W3C trace context into its
 * carrier) and {@link ErlangServerContext} (a receiver context: tracing continues the trace its
 * carrier holds, when the caller sent one).
 */
public interface ErlangObservationContext {

	/** @return the kind of interaction */
	ErlangInteraction getInteraction();

	/** @return the node on the other side ({@code none} when it is not known, as for a pg delivery) */
	String getPeer();

	/** @return what the interaction targets, of low cardinality (a pid target is {@code pid}) */
	String getTarget();

	/** @return the error the observation recorded, or {@code null} */
	Throwable getError();

}
