package io.github.erlangspring.event;

import org.springframework.context.ApplicationEvent;

/**
 * A connection to another node came up or went down.
 */
public abstract class ErlangNodeEvent extends ApplicationEvent {

	private final String node;

	protected ErlangNodeEvent(Object source, String node) {
		super(source);
		this.node = node;
	}

	/** @return the peer's node name */
	public String getNode() {
		return this.node;
	}

}
