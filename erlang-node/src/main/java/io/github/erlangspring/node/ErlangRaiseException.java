package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * Thrown by Java code serving Erlang to raise an exact Erlang exception in the caller:
 * {@code error(Reason)}, {@code exit(Reason)} or {@code throw(Term)}.
 */
public class ErlangRaiseException extends RuntimeException {

	private final ErlangClass erlangClass;

	private final transient OtpErlangObject reason;

	private ErlangRaiseException(ErlangClass erlangClass, OtpErlangObject reason) {
		super(erlangClass + ":" + reason);
		this.erlangClass = erlangClass;
		this.reason = reason;
	}

	/** @return an exception that raises {@code error(reason)} */
	public static ErlangRaiseException error(OtpErlangObject reason) {
		return new ErlangRaiseException(ErlangClass.ERROR, reason);
	}

	/** @return an exception that raises {@code exit(reason)} */
	public static ErlangRaiseException exit(OtpErlangObject reason) {
		return new ErlangRaiseException(ErlangClass.EXIT, reason);
	}

	/** @return an exception that raises {@code throw(term)} */
	public static ErlangRaiseException throwing(OtpErlangObject term) {
		return new ErlangRaiseException(ErlangClass.THROW, term);
	}

	/** @return the class raised */
	public ErlangClass getErlangClass() {
		return this.erlangClass;
	}

	/** @return the reason (or thrown term) */
	public OtpErlangObject getReason() {
		return this.reason;
	}

}
