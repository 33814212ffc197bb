package io.github.erlangspring.node;

/**
 * No answer arrived within the timeout. The request may still be executed by the peer.
 */
public class ErlangTimeoutException extends ErlangException {

	public ErlangTimeoutException(String message) {
		super(message);
	}

}
