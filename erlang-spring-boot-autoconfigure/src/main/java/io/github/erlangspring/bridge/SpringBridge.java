package io.github.erlangspring.bridge;

import java.nio.charset.StandardCharsets;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.ErlangClass;
import io.github.erlangspring.node.ErlangException;
import io.github.erlangspring.node.ErlangRemoteException;

/**
 * The contract with {@code spring_bridge} on Erlang nodes: calling a registered function is
 * {@code erpc:call(Node, spring_bridge, call, [Name, Args])} (casting,
 * {@code spring_bridge:cast/2}); {@link #translate} turns its errors into exceptions that say
 * what is wrong.
 */
public final class SpringBridge {

	/** The module Java calls. */
	public static final String MODULE = "spring_bridge";

	/** The application name. */
	public static final String APPLICATION = "spring_bridge";

	/** The {@code spring_bridge:version()} this code speaks. */
	public static final int VERSION = 2;

	private SpringBridge() {
	}

	/**
	 * The arguments of {@code spring_bridge:call/2} and {@code spring_bridge:cast/2}.
	 * @param function the registered name
	 * @param args the function's arguments, as terms
	 * @return {@code [<<"name">>, [Arg, ...]]}
	 */
	public static OtpErlangList callArguments(String function, OtpErlangObject... args) {
		return callArguments(function, java.util.Map.of(), args);
	}

	/**
	 * The arguments of {@code spring_bridge:call/3} (or {@code call/2} without propagation fields).
	 * @param function the registered name
	 * @param traceContext propagation fields to send ({@code traceparent}, ...), possibly empty
	 * @param args the function's arguments, as terms
	 * @return {@code [<<"name">>, [Arg, ...], #{<<"traceparent">> => ...}]}
	 */
	public static OtpErlangList callArguments(String function, java.util.Map<String, String> traceContext,
			OtpErlangObject... args) {
		if (function == null || function.isEmpty()) {
			throw new IllegalArgumentException("a registered function name must not be empty");
		}
		OtpErlangBinary name = new OtpErlangBinary(function.getBytes(StandardCharsets.UTF_8));
		if (traceContext.isEmpty()) {
			return new OtpErlangList(new OtpErlangObject[] { name, new OtpErlangList(args) });
		}
		OtpErlangObject[] keys = new OtpErlangObject[traceContext.size()];
		OtpErlangObject[] values = new OtpErlangObject[traceContext.size()];
		int i = 0;
		for (java.util.Map.Entry<String, String> field : traceContext.entrySet()) {
			keys[i] = new OtpErlangBinary(field.getKey().getBytes(StandardCharsets.UTF_8));
			values[i] = new OtpErlangBinary(field.getValue().getBytes(StandardCharsets.UTF_8));
			i++;
		}
		return new OtpErlangList(new OtpErlangObject[] { name, new OtpErlangList(args), new OtpErlangMap(keys, values) });
	}

	/**
	 * Explains a failed {@code spring_bridge:call/2}: an unknown name becomes
	 * {@link ErlangFunctionNotFoundException}, a missing or stopped {@code spring_bridge}
	 * {@link SpringBridgeException}; anything else (what the function itself raised) is returned
	 * unchanged.
	 * @param ex the failure
	 * @param node the node called
	 * @param function the registered name called
	 * @return the exception to throw
	 */
	public static ErlangException translate(ErlangRemoteException ex, String node, String function) {
		if (ex.getErlangClass() != ErlangClass.ERROR) {
			return ex;
		}
		OtpErlangObject reason = ex.getReason();
		if (reason instanceof OtpErlangTuple tuple && tuple.arity() == 3 && isAtom(tuple.elementAt(0), MODULE)
				&& isAtom(tuple.elementAt(1), "unknown_function")) {
			return new ErlangFunctionNotFoundException(node, function, ex);
		}
		if (reason instanceof OtpErlangTuple tuple && tuple.arity() == 2 && isAtom(tuple.elementAt(0), MODULE)
				&& isAtom(tuple.elementAt(1), "not_started")) {
			return new SpringBridgeException("spring_bridge is loaded but not started on " + node
					+ "; start it there with spring_bridge:start()", ex);
		}
		if (isAtom(reason, "undef") && topFrameIsBridge(ex.getErlangStacktrace())) {
			return new SpringBridgeException("spring_bridge is not loaded on " + node + " (calling '" + function
					+ "'); let the application load it (erlang.bridge.auto-load=true, the default) or put it on "
					+ "that node's code path", ex);
		}
		return ex;
	}

	private static boolean topFrameIsBridge(OtpErlangObject stack) {
		return stack instanceof OtpErlangList frames && frames.arity() > 0
				&& frames.elementAt(0) instanceof OtpErlangTuple frame && frame.arity() == 4
				&& isAtom(frame.elementAt(0), MODULE);
	}

	/**
	 * @param term a term {@code spring_bridge} answered
	 * @param name an atom's name
	 * @return whether the term is that atom
	 */
	public static boolean isAtom(OtpErlangObject term, String name) {
		return term instanceof OtpErlangAtom atom && atom.atomValue().equals(name);
	}

}
