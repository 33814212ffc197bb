package io.github.erlangspring.observation;

/** Java asking something of Erlang: the context of {@code erlang.client.requests}. */
public final class ErlangClientContext extends ErlangObservationContext {

	public ErlangClientContext(ErlangInteraction interaction, String peer, String target) {
		super(interaction, peer, target);
	}

}
