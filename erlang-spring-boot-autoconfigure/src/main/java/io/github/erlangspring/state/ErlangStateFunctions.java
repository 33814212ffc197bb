package io.github.erlangspring.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.ErlangRaiseException;
import io.github.erlangspring.node.FunctionTable;
import io.github.erlangspring.node.RpcCall;
import io.github.erlangspring.node.RpcFunction;

/**
 * A {@link StateBackend} as an Erlang module served by the Java node, so that Erlang code reads
 * and updates the same state as Java: {@code rpc:call(JavaNode, spring_state, incr, [<<"views">>])}.
 * The module (by default {@code spring_state}) has the same functions as
 * {@code spring_bridge_state} on an Erlang node, without the table argument:
 * <table>
 * <caption>Functions</caption>
 * <tr><td>{@code get(Key)}</td><td>the value, or {@code undefined}</td></tr>
 * <tr><td>{@code get_multi([Key])}</td><td>{@code #{Key => Value | undefined}} with every key</td></tr>
 * <tr><td>{@code set(Key, Value)}, {@code set(Key, Value, TtlMs)}</td><td>{@code ok}</td></tr>
 * <tr><td>{@code put_if_absent(Key, Value)}, {@code put_if_absent(Key, Value, TtlMs)}</td><td>whether stored</td></tr>
 * <tr><td>{@code delete(Key)}</td><td>whether the key held a value</td></tr>
 * <tr><td>{@code incr(Key)}, {@code incr(Key, Delta)}, {@code decr(Key)}, {@code decr(Key, Delta)}</td><td>the new value</td></tr>
 * <tr><td>{@code keys(Prefix)}</td><td>the live keys starting with Prefix, sorted</td></tr>
 * <tr><td>{@code expire(Key, TtlMs | infinity)}</td><td>whether the key held a value</td></tr>
 * </table>
 * Keys and prefixes are binaries, TTLs positive integers of milliseconds (or {@code infinity}),
 * deltas integers. Bad arguments raise {@code error({invalid_key, Key})},
 * {@code error({invalid_ttl, Ttl})} or {@code error({invalid_delta, Delta})}; incrementing a
 * value that is not an integer raises {@code error({not_integer, Key, Value})}.
 */
public final class ErlangStateFunctions implements FunctionTable {

	/** The module name Erlang uses by default. */
	public static final String DEFAULT_MODULE = "spring_state";

	private static final OtpErlangAtom OK = new OtpErlangAtom("ok");

	private final StateBackend backend;

	private final String module;

	/**
	 * @param backend the state to serve
	 * @param module the module name Erlang calls
	 */
	public ErlangStateFunctions(StateBackend backend, String module) {
		this.backend = backend;
		this.module = module;
	}

	/** @return the module name Erlang calls */
	public String getModule() {
		return this.module;
	}

	@Override
	public RpcFunction lookup(String module, String function, int arity) {
		if (!this.module.equals(module)) {
			return null;
		}
		return switch (function + "/" + arity) {
			case "get/1" -> (call) -> orUndefined(this.backend.get(key(call, 0)));
			case "get_multi/1" -> this::getMulti;
			case "set/2" -> (call) -> set(call, null);
			case "set/3" -> (call) -> set(call, ttl(call.args().get(2)));
			case "put_if_absent/2" -> (call) -> putIfAbsent(call, null);
			case "put_if_absent/3" -> (call) -> putIfAbsent(call, ttl(call.args().get(2)));
			case "delete/1" -> (call) -> bool(this.backend.delete(key(call, 0)));
			case "incr/1" -> (call) -> increment(call, 1);
			case "incr/2" -> (call) -> increment(call, delta(call.args().get(1), false));
			case "decr/1" -> (call) -> increment(call, -1);
			case "decr/2" -> (call) -> increment(call, delta(call.args().get(1), true));
			case "keys/1" -> this::keys;
			case "expire/2" -> (call) -> bool(this.backend.expire(key(call, 0), ttl(call.args().get(1))));
			default -> null;
		};
	}

	private OtpErlangObject getMulti(RpcCall call) {
		List<String> keys = new ArrayList<>();
		OtpErlangObject arg = call.args().get(0);
		if (!(arg instanceof OtpErlangList list)) {
			throw error("invalid_keys", arg);
		}
		for (OtpErlangObject key : list) {
			keys.add(key(key));
		}
		Map<String, OtpErlangObject> values = this.backend.getMulti(keys);
		List<OtpErlangObject> mapKeys = new ArrayList<>();
		List<OtpErlangObject> mapValues = new ArrayList<>();
		values.forEach((key, value) -> {
			mapKeys.add(StateTerms.key(key));
			mapValues.add(orUndefined(value));
		});
		return new OtpErlangMap(mapKeys.toArray(new OtpErlangObject[0]), mapValues.toArray(new OtpErlangObject[0]));
	}

	private OtpErlangObject set(RpcCall call, Duration ttl) {
		this.backend.set(key(call, 0), call.args().get(1), ttl);
		return OK;
	}

	private OtpErlangObject putIfAbsent(RpcCall call, Duration ttl) {
		return bool(this.backend.putIfAbsent(key(call, 0), call.args().get(1), ttl));
	}

	private OtpErlangObject increment(RpcCall call, long delta) {
		try {
			return new OtpErlangLong(this.backend.increment(key(call, 0), delta));
		}
		catch (ErlangStateException ex) {
			throw (ex.getErlangReason() != null) ? ErlangRaiseException.error(ex.getErlangReason()) : ex;
		}
	}

	private OtpErlangObject keys(RpcCall call) {
		OtpErlangObject prefix = call.args().get(0);
		if (!(prefix instanceof OtpErlangBinary binary)) {
			throw error("invalid_prefix", prefix);
		}
		List<String> keys = this.backend.keys(new String(binary.binaryValue(), StandardCharsets.UTF_8));
		return new OtpErlangList(keys.stream().map(StateTerms::key).toArray(OtpErlangObject[]::new));
	}

	private static String key(RpcCall call, int index) {
		return key(call.args().get(index));
	}

	private static String key(OtpErlangObject term) {
		if (term instanceof OtpErlangBinary binary) {
			return new String(binary.binaryValue(), StandardCharsets.UTF_8);
		}
		throw error("invalid_key", term);
	}

	/** Milliseconds, or {@code infinity} ({@code null}: no TTL). */
	private static Duration ttl(OtpErlangObject term) {
		if (term instanceof OtpErlangLong millis && millis.isLong() && millis.longValue() > 0) {
			return Duration.ofMillis(millis.longValue());
		}
		if (term instanceof OtpErlangAtom atom && atom.atomValue().equals("infinity")) {
			return null;
		}
		throw error("invalid_ttl", term);
	}

	private static long delta(OtpErlangObject term, boolean negate) {
		if (term instanceof OtpErlangLong integer && integer.isLong()
				&& !(negate && integer.longValue() == Long.MIN_VALUE)) {
			return negate ? -integer.longValue() : integer.longValue();
		}
		throw error("invalid_delta", term);
	}

	private static ErlangRaiseException error(String tag, OtpErlangObject term) {
		return ErlangRaiseException.error(new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom(tag), term }));
	}

	private static OtpErlangObject orUndefined(OtpErlangObject value) {
		return (value != null) ? value : StateTerms.UNDEFINED;
	}

	private static OtpErlangObject bool(boolean value) {
		return new OtpErlangAtom(value);
	}

}
