package io.github.erlangspring.bridge;

import io.github.erlangspring.node.ErlangException;

/**
 * {@code spring_bridge} is missing, not started or could not be loaded on an Erlang node.
 */
public class SpringBridgeException extends ErlangException {

	public SpringBridgeException(String message) {
		super(message);
	}

	public SpringBridgeException(String message, Throwable cause) {
		super(message, cause);
	}

}
