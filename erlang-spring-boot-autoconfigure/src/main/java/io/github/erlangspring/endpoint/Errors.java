package io.github.erlangspring.endpoint;

import java.nio.charset.StandardCharsets;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.ErlangRaiseException;

/**
 * How Java failures look to Erlang callers.
 */
final class Errors {

	private Errors() {
	}

	/**
	 * @return the reason of an {@link ErlangRaiseException}, else
	 * {@code {'java.class.Name', <<"message">>}}
	 */
	static OtpErlangObject reason(Throwable error) {
		if (error instanceof ErlangRaiseException raise) {
			return raise.getReason();
		}
		String message = (error.getMessage() != null) ? error.getMessage() : "";
		return new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom(error.getClass().getName()),
				new OtpErlangBinary(message.getBytes(StandardCharsets.UTF_8)) });
	}

}
