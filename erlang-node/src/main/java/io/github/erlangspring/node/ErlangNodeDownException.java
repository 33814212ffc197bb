package io.github.erlangspring.node;

/**
 * The node could not be reached, or the connection to it was lost while a request was pending
 * (Erlang's {@code noconnection} / {@code nodedown}).
 */
public class ErlangNodeDownException extends ErlangException {

	private final String node;

	public ErlangNodeDownException(String node, String message) {
		super(message);
		this.node = node;
	}

	public ErlangNodeDownException(String node, String message, Throwable cause) {
		super(message, cause);
		this.node = node;
	}

	/** @return the node that is down */
	public String getNode() {
		return this.node;
	}

}
