package io.github.erlangspring.handler;

import java.lang.reflect.Method;
import java.util.Locale;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * What a handler or RPC method was invoked for, as seen by an {@link ErlangErrorHandler}.
 *
 * @param target the process name, or {@code module:function/arity} for RPC
 * @param kind what was invoked
 * @param message the request, message, or argument list
 * @param method the Java method, or {@code null} when no handler matched
 */
public record ErlangInvocation(String target, Kind kind, OtpErlangObject message, Method method) {

	/** What a handler or RPC method was invoked for. */
	public enum Kind {

		/** A {@code gen_server:call} to an {@code @HandleCall} method. */
		CALL,

		/** A {@code gen_server:cast} to an {@code @HandleCast} method. */
		CAST,

		/** Any other message, to an {@code @HandleInfo} or {@code @ErlangSubscribe} method. */
		INFO,

		/** An {@code rpc}/{@code erpc} call of an {@code @ErlangRpc} method. */
		RPC;

		/** @return {@code call}, {@code cast}, {@code info} or {@code rpc} */
		@Override
		public String toString() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

}
