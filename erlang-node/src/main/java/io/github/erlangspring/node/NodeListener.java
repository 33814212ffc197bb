package io.github.erlangspring.node;

/**
 * Hears about connections to other nodes coming up and going down.
 */
public interface NodeListener {

	/**
	 * A connection to {@code node} is established.
	 * @param node the peer's node name
	 * @param hidden whether the peer is a hidden node
	 */
	default void nodeUp(String node, boolean hidden) {
	}

	/**
	 * The connection to {@code node} is gone.
	 * @param node the peer's node name
	 * @param reason why: a kind such as {@link DisconnectReason.Kind#TICK_TIMEOUT} and a detail
	 */
	default void nodeDown(String node, DisconnectReason reason) {
	}

}
