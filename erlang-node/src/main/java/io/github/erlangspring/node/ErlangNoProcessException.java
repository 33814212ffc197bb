package io.github.erlangspring.node;

/**
 * The process addressed does not exist (Erlang's {@code noproc}).
 */
public class ErlangNoProcessException extends ErlangException {

	public ErlangNoProcessException(String message) {
		super(message);
	}

}
