package io.github.erlangspring.event;

/**
 * A connection to another node is established.
 */
public class ErlangNodeUpEvent extends ErlangNodeEvent {

	private final boolean hidden;

	public ErlangNodeUpEvent(Object source, String node, boolean hidden) {
		super(source, node);
		this.hidden = hidden;
	}

	/** @return whether the peer is a hidden node */
	public boolean isHidden() {
		return this.hidden;
	}

}
