package io.github.erlangspring.node.dist;

import java.io.IOException;

/**
 * A distribution handshake failed: wrong cookie, a peer lacking required capabilities, a refused
 * name, or a protocol violation.
 */
public class HandshakeException extends IOException {

	/** What kind of failure. */
	public enum Kind {

		/** The cookies differ. */
		AUTHENTICATION,
		/** Both nodes connected at once and the peer's attempt won; its connection will arrive. */
		SIMULTANEOUS_LOST,
		/** Anything else. */
		OTHER

	}

	private final Kind kind;

	public HandshakeException(String message) {
		this(message, Kind.OTHER);
	}

	HandshakeException(String message, Kind kind) {
		super(message);
		this.kind = kind;
	}

	HandshakeException(String message, boolean authenticationFailure) {
		this(message, authenticationFailure ? Kind.AUTHENTICATION : Kind.OTHER);
	}

	/** @return what kind of failure this is */
	public Kind kind() {
		return this.kind;
	}

	/** @return whether the peer failed the cookie challenge (or we failed its challenge) */
	public boolean isAuthenticationFailure() {
		return this.kind == Kind.AUTHENTICATION;
	}

}
