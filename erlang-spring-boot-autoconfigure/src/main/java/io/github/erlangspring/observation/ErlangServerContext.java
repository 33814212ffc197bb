package io.github.erlangspring.observation;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;

/**
 * Erlang asking something of Java: the context of {@code erlang.server.requests}. The caller's
 * pid is of high cardinality and is kept out of metrics. Its carrier holds the propagation fields
 * the caller sent (through {@code spring_bridge:call_java/4}), or nothing: a plain {@code rpc:call}
 * or {@code gen_server:call} carries no headers and starts a new trace.
 */
public final class ErlangServerContext extends ReceiverContext<Map<String, String>> implements ErlangObservationContext {

	private final ErlangInteraction interaction;

	private final String peer;

	private final String target;

	private final String callerPid;

	public ErlangServerContext(ErlangInteraction interaction, String callerNode, String callerPid, String target) {
		this(interaction, callerNode, callerPid, target, Map.of());
	}

	public ErlangServerContext(ErlangInteraction interaction, String callerNode, String callerPid, String target,
			Map<String, String> carrier) {
		super((fields, key) -> fields.get(key), Kind.SERVER);
		this.interaction = interaction;
		this.peer = (callerNode != null) ? callerNode : "none";
		this.target = target;
		this.callerPid = callerPid;
		setCarrier((carrier != null) ? carrier : Map.of());
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

	/** @return the Erlang pid that asked, as Erlang prints it, or {@code null} when unknown */
	public String getCallerPid() {
		return this.callerPid;
	}

}
