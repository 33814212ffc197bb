package io.github.erlangspring.event;

import io.github.erlangspring.node.DisconnectReason;

/**
 * The connection to another node is gone.
 */
public class ErlangNodeDownEvent extends ErlangNodeEvent {

	private final DisconnectReason reason;

	/**
	 * @param source the node bean
	 * @param node the peer
	 * @param reason why the connection closed
	 */
	public ErlangNodeDownEvent(Object source, String node, DisconnectReason reason) {
		super(source, node);
		this.reason = reason;
	}

	/** @return why: a kind and a detail */
	public DisconnectReason getReason() {
		return this.reason;
	}

}
