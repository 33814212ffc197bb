package io.github.erlangspring.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Details of the Erlang nodes the application talks to: the cookie shared with them and the
 * peers. By default they come from {@code erlang.*} properties; a bean of this type (from a
 * test, Testcontainers or Docker Compose service connection) takes their place.
 */
public interface ErlangConnectionDetails extends ConnectionDetails {

	/**
	 * The cookie shared with the peers.
	 * @return the cookie, or {@code null} to read it from {@code erlang.cookie-file}
	 */
	String getCookie();

	/**
	 * The node calls go to when they name none.
	 * @return the node name, or {@code null}
	 */
	String getDefaultPeer();

	/**
	 * Nodes to connect to at start-up and keep connected.
	 * @return the node names, empty by default
	 */
	default List<String> getPeers() {
		return List.of();
	}

}
