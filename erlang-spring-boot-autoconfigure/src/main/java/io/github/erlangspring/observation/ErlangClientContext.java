package io.github.erlangspring.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

/**
 * Java asking something of Erlang: the context of {@code erlang.client.requests}. Its carrier is
 * a map of propagation fields ({@code traceparent}, ...) that a tracing bridge fills in; requests
 * that can carry it (registered functions through {@code spring_bridge}) send it to Erlang.
 */
public final class ErlangClientContext extends SenderContext<Map<String, String>> implements ErlangObservationContext {

	private final ErlangInteraction interaction;

	private final String peer;

	private final String target;

	public ErlangClientContext(ErlangInteraction interaction, String peer, String target) {
		super((carrier, key, value) -> carrier.put(key, value), Kind.CLIENT);
		this.interaction = interaction;
		this.peer = (peer != null) ? peer : "none";
		this.target = target;
		setCarrier(new LinkedHashMap<>());
		setRemoteServiceName(this.peer);
	}

	@Override
	public ErlangInteraction getInteraction() {
		return this.interaction;
	}

	@Override
	public String getPeer() {
		return this.peer;
	}

	@Override
	public String getTarget() {
		return this.target;
	}

}
