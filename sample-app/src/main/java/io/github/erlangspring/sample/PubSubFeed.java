package io.github.erlangspring.sample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.github.erlangspring.annotation.ErlangSubscribe;
import io.github.erlangspring.pubsub.PubSubMessage;

import org.springframework.stereotype.Component;

/**
 * The last messages of the topic {@code demo} (demo_peer's ticks, and anything published to it),
 * for the dashboard. Subscribed with {@code @ErlangSubscribe}, so it follows the node's life:
 * joined when the context starts, left when it stops (the node is not running yet while beans
 * are created, so a subscription in the constructor would fail).
 */
@Component
public class PubSubFeed {

	/** The topic followed. */
	public static final String TOPIC = "demo";

	private static final int KEEP = 15;

	private final Deque<Item> items = new ArrayDeque<>();

	/**
	 * One message.
	 * @param payload the message as text
	 * @param at when it arrived
	 */
	public record Item(String payload, String at) {
	}

	@ErlangSubscribe(TOPIC)
	synchronized void add(PubSubMessage message) {
		Object payload = message.payload();
		String text = (payload instanceof String || payload instanceof Number) ? payload.toString()
				: message.payloadTerm().toString();
		this.items.addFirst(new Item(text, Instant.now().toString()));
		if (this.items.size() > KEEP) {
			this.items.removeLast();
		}
	}

	/** @return the recent messages, newest first */
	public synchronized List<Item> recent() {
		return List.copyOf(this.items);
	}

}
