package io.github.erlangspring.node;

/**
 * Root of the exceptions raised when talking to Erlang. Subclasses tell timeouts, lost nodes,
 * missing processes, remote errors and conversion failures apart.
 */
public class ErlangException extends RuntimeException {

	public ErlangException(String message) {
		super(message);
	}

	public ErlangException(String message, Throwable cause) {
		super(message, cause);
	}

}
