package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * A Java function Erlang can call. What it returns is the call's result. To raise a specific
 * Erlang exception throw {@link ErlangRaiseException}; any other exception reaches the caller as
 * an {@code error} whose reason is {@code {'java.class.Name', <<"message">>}} with the Java
 * frames as stacktrace.
 */
@FunctionalInterface
public interface RpcFunction {

	/**
	 * Runs the call.
	 * @param call the call
	 * @return the result term
	 * @throws Exception any failure, reported to the Erlang caller
	 */
	OtpErlangObject invoke(RpcCall call) throws Exception;

}
