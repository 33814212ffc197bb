package io.github.erlangspring.observation;

/**
 * Erlang asking something of Java: the context of {@code erlang.server.requests}. The caller's
 * pid is of high cardinality and is kept out of metrics.
 */
public final class ErlangServerContext extends ErlangObservationContext {

	private final String callerPid;

	public ErlangServerContext(ErlangInteraction interaction, String callerNode, String callerPid, String target) {
		super(interaction, callerNode, target);
		this.callerPid = callerPid;
	}

	/** @return the Erlang pid that asked, as Erlang prints it, or {@code null} when unknown */
	public String getCallerPid() {
		return this.callerPid;
	}

}
