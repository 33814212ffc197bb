package io.github.erlangspring.observation;

import io.micrometer.observation.Observation;

/**
 * What an Erlang observation is about: the kind of interaction, the node on the other side and
 * what it targets ({@code module:function/arity}, a process name, a topic, a state operation).
 */
public abstract class ErlangObservationContext extends Observation.Context {

	private final ErlangInteraction interaction;

	private final String peer;

	private final String target;

	ErlangObservationContext(ErlangInteraction interaction, String peer, String target) {
		this.interaction = interaction;
		this.peer = (peer != null) ? peer : "none";
		this.target = target;
	}

	/** @return the kind of interaction */
	public ErlangInteraction getInteraction() {
		return this.interaction;
	}

	/** @return the node on the other side ({@code none} when it is not known, as for a pg delivery) */
	public String getPeer() {
		return this.peer;
	}

	/** @return what the interaction targets, of low cardinality (a pid target is {@code pid}) */
	public String getTarget() {
		return this.target;
	}

}
