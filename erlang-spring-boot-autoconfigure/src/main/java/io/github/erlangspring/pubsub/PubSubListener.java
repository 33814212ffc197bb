package io.github.erlangspring.pubsub;

/**
 * Receives the messages of a {@link PubSubOperations#subscribe(Object, PubSubListener) subscription},
 * one at a time, in arrival order, on the node's scheduler (a subscription owns no thread).
 */
@FunctionalInterface
public interface PubSubListener {

	/**
	 * Handles one message.
	 * @param message the message
	 * @throws Exception anything: it is logged and the subscription goes on
	 */
	void onMessage(PubSubMessage message) throws Exception;

}
