package io.github.erlangspring.sample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.github.erlangspring.pubsub.PubSubMessage;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.pubsub.Subscription;

import org.springframework.stereotype.Component;

/**
 * The last messages of the topic {@code demo} (demo_peer's ticks, and anything published to it),
 * for the dashboard.
 */
@Component
public class PubSubFeed implements AutoCloseable {

	/** The topic followed. */
	public static final String TOPIC = "demo";

	private static final int KEEP = 15;

	private final Deque<Item> items = new ArrayDeque<>();

	private final Subscription subscription;

	/**
	 * One message.
	 * @param payload the message as text
	 * @param at when it arrived
	 */
	public record Item(String payload, String at) {
	}

	public PubSubFeed(PubSubOperations pubSub) {
		this.subscription = pubSub.subscribe(TOPIC, this::add);
	}

	private synchronized void add(PubSubMessage message) {
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

	@Override
	public void close() {
		this.subscription.close();
	}

}
