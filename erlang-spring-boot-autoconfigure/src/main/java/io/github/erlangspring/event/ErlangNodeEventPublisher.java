package io.github.erlangspring.event;

import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.NodeListener;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes node up and down as {@link ErlangNodeUpEvent} and {@link ErlangNodeDownEvent}.
 */
public class ErlangNodeEventPublisher implements NodeListener {

	private final Object source;

	private final ApplicationEventPublisher publisher;

	public ErlangNodeEventPublisher(Object source, ApplicationEventPublisher publisher) {
		this.source = source;
		this.publisher = publisher;
	}

	@Override
	public void nodeUp(String node, boolean hidden) {
		this.publisher.publishEvent(new ErlangNodeUpEvent(this.source, node, hidden));
	}

	@Override
	public void nodeDown(String node, DisconnectReason reason) {
		this.publisher.publishEvent(new ErlangNodeDownEvent(this.source, node, reason));
	}

}
