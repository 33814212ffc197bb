package io.github.erlangspring.node.epmd;

/**
 * Where a node listens for distribution connections, as EPMD reported it in a
 * {@code PORT2_RESP}.
 *
 * @param host the host whose EPMD was asked (the node listens on that host)
 * @param port the node's distribution listen port
 * @param hidden whether the node registered as a hidden node (node type 72) rather than a
 * normal Erlang node (node type 77)
 * @param highestVersion the highest distribution version the node supports
 * @param lowestVersion the lowest distribution version the node supports
 * @param alive the node's name without the host part, as registered
 */
public record NodeAddress(String host, int port, boolean hidden, int highestVersion, int lowestVersion,
		String alive) {

	/**
	 * Returns whether the node supports the given distribution version.
	 * @param version a distribution version, e.g. {@code 6}
	 * @return whether {@code version} lies between the lowest and highest supported versions
	 */
	public boolean supportsVersion(int version) {
		return version >= this.lowestVersion && version <= this.highestVersion;
	}

}
