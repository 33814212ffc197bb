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
	 * @param reason why, in words (e.g. {@code net_tick_timeout}, {@code connection lost})
	 */
	default void nodeDown(String node, String reason) {
	}

}
