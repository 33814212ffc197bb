package io.github.erlangspring.state;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.node.ErlangException;

/**
 * A state operation was refused, for example incrementing a value that is not an integer. The
 * state is left as it was. {@link #getErlangReason()} is the reason an Erlang caller of the same
 * operation gets, e.g. {@code {not_integer, Key, Value}}.
 */
public class ErlangStateException extends ErlangException {

	private final transient OtpErlangObject erlangReason;

	public ErlangStateException(String message, OtpErlangObject erlangReason) {
		super(message);
		this.erlangReason = erlangReason;
	}

	public ErlangStateException(String message, OtpErlangObject erlangReason, Throwable cause) {
		super(message, cause);
		this.erlangReason = erlangReason;
	}

	/** @return the error reason as Erlang sees it, or {@code null} */
	public OtpErlangObject getErlangReason() {
		return this.erlangReason;
	}

}
