package io.github.erlangspring.node.epmd;

import java.io.IOException;

/**
 * EPMD answered, but not with what was asked for: it refused a registration (most likely because
 * the name is taken) or sent a malformed or truncated response.
 * <p>
 * Failures to reach EPMD at all are not reported with this exception but with the usual
 * {@link java.net.ConnectException} or {@link java.net.SocketTimeoutException}.
 */
public class EpmdException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates an exception with the given message.
	 * @param message the detail message
	 */
	public EpmdException(String message) {
		super(message);
	}

	/**
	 * Creates an exception with the given message and cause.
	 * @param message the detail message
	 * @param cause the cause
	 */
	public EpmdException(String message, Throwable cause) {
		super(message, cause);
	}

}
