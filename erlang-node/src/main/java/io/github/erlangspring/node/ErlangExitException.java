package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * A mailbox was terminated by an exit signal (from a linked process or {@code exit/2}) and can no
 * longer receive.
 */
public class ErlangExitException extends ErlangException {

	private final transient OtpErlangObject reason;

	public ErlangExitException(OtpErlangObject reason) {
		super("process exited: " + reason);
		this.reason = reason;
	}

	/** @return the exit reason */
	public OtpErlangObject getReason() {
		return this.reason;
	}

}
