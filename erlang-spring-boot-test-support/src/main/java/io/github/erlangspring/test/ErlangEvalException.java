package io.github.erlangspring.test;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * An expression evaluated by {@link ErlangPeer#eval(String)} raised an exception on the Erlang
 * node.
 */
public class ErlangEvalException extends RuntimeException {

	private final OtpErlangObject erlangClass;

	private final OtpErlangObject reason;

	ErlangEvalException(String expression, OtpErlangObject erlangClass, OtpErlangObject reason,
			OtpErlangObject stack) {
		super("'" + expression + "' raised " + erlangClass + ":" + reason + "\n  stack: " + stack);
		this.erlangClass = erlangClass;
		this.reason = reason;
	}

	/** @return the Erlang exception class ({@code error}, {@code exit} or {@code throw}) */
	public OtpErlangObject getErlangClass() {
		return this.erlangClass;
	}

	/** @return the Erlang exception reason */
	public OtpErlangObject getReason() {
		return this.reason;
	}

}
