package io.github.erlangspring.node;

import java.util.List;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;

/**
 * One call of a Java function by Erlang ({@code rpc:call}, {@code erpc:call}, {@code rpc:cast},
 * {@code rpc:multicall}, {@code rpc:block_call}).
 *
 * @param module the module the caller named
 * @param function the function the caller named
 * @param args the arguments, as Erlang terms
 * @param caller the calling process (for casts and {@code rex} calls, the process that sent the
 * request)
 */
public record RpcCall(String module, String function, List<OtpErlangObject> args, OtpErlangPid caller) {

	/** @return the number of arguments */
	public int arity() {
		return this.args.size();
	}

}
