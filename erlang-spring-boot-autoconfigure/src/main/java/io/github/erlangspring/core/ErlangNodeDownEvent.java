package io.github.erlangspring.core;

/**
 * The connection to another node is gone.
 */
public class ErlangNodeDownEvent extends ErlangNodeEvent {

	private final String reason;

	public ErlangNodeDownEvent(Object source, String node, String reason) {
		super(source, node);
		this.reason = reason;
	}

	/** @return why, in words */
	public String getReason() {
		return this.reason;
	}

}
