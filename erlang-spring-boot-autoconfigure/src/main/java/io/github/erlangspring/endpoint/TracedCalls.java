package io.github.erlangspring.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.ErlangRaiseException;
import io.github.erlangspring.node.FunctionTable;
import io.github.erlangspring.node.RpcCall;
import io.github.erlangspring.node.RpcFunction;
import io.github.erlangspring.observation.ErlangObservations;

/**
 * {@code spring_trace:call(Context, Module, Function, Args)}: calls {@code Module:Function(Args...)}
 * of this node with the propagation fields {@code Context} (a map of binaries, e.g.
 * {@code #{<<"traceparent">> => ...}}) in force, so the server observation continues the
 * caller's trace. {@code spring_bridge:call_java/4} on an Erlang node sends the trace context it
 * was given this way.
 */
final class TracedCalls implements FunctionTable {

	static final String MODULE = "spring_trace";

	private final FunctionTable functions;

	TracedCalls(FunctionTable functions) {
		this.functions = functions;
	}

	@Override
	public RpcFunction lookup(String module, String function, int arity) {
		return (MODULE.equals(module) && "call".equals(function) && arity == 4) ? this::call : null;
	}

	private OtpErlangObject call(RpcCall call) throws Exception {
		List<OtpErlangObject> args = call.args();
		if (!(args.get(1) instanceof OtpErlangAtom module && args.get(2) instanceof OtpErlangAtom function
				&& args.get(3) instanceof OtpErlangList arguments && arguments.getLastTail() == null)) {
			throw ErlangRaiseException.error(new OtpErlangAtom("badarg"));
		}
		List<OtpErlangObject> calledArgs = List.of(arguments.elements());
		RpcFunction target = this.functions.lookup(module.atomValue(), function.atomValue(), calledArgs.size());
		if (target == null) {
			throw ErlangRaiseException.error(new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("undef"),
					new OtpErlangTuple(new OtpErlangObject[] { module, function, arguments }) }));
		}
		return ErlangObservations.withIncomingContext(fields(args.get(0)),
				() -> target.invoke(new RpcCall(module.atomValue(), function.atomValue(), calledArgs, call.caller())));
	}

	/** The propagation fields: binary or string keys and values; anything else is ignored. */
	static Map<String, String> fields(OtpErlangObject context) {
		Map<String, String> fields = new LinkedHashMap<>();
		if (context instanceof OtpErlangMap map) {
			map.entrySet().forEach((entry) -> {
				String key = text(entry.getKey());
				String value = text(entry.getValue());
				if (key != null && value != null) {
					fields.put(key, value);
				}
			});
		}
		return fields;
	}

	private static String text(OtpErlangObject term) {
		if (term instanceof OtpErlangBinary binary) {
			return new String(binary.binaryValue(), StandardCharsets.UTF_8);
		}
		if (term instanceof OtpErlangString string) {
			return string.stringValue();
		}
		if (term instanceof OtpErlangAtom atom) {
			return atom.atomValue();
		}
		return null;
	}

}
