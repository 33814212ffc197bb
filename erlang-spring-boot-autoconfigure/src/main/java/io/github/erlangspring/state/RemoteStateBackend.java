package io.github.erlangspring.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.ErlangClass;
import io.github.erlangspring.node.ErlangFutures;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangNodeDownException;
import io.github.erlangspring.node.ErlangRemoteException;

/**
 * {@link StateBackend#ets} and {@link StateBackend#mnesia}: every operation is one
 * {@code erpc:call} of the backend's module ({@code spring_bridge_state} or
 * {@code spring_bridge_mnesia}) on an Erlang node, which works on the table directly from the
 * calling process. When the module or the table is missing there (a fresh or restarted node),
 * the backend loads {@code spring_bridge}, ensures the table and tries once more.
 * <p>
 * With several nodes (a replicated table), calls go to one of them until it cannot be reached:
 * a node that is not connected and does not answer a connection attempt is passed over (nothing
 * was sent to it). When a connection is lost during a call, a read is repeated on the next node;
 * a write fails with {@link io.github.erlangspring.node.ErlangNodeDownException} (it may or may not
 * have been committed: repeating an increment could count it twice), and the next call goes to the
 * next node.
 */
final class RemoteStateBackend implements StateBackend {

	private final Kind kind;

	private final ErlangNode node;

	private final List<String> erlangNodes;

	private final OtpErlangAtom table;

	private final Duration timeout;

	private final Consumer<String> bridgeLoader;

	/** Index in {@link #erlangNodes} of the node calls go to. */
	private volatile int current;

	RemoteStateBackend(Kind kind, ErlangNode node, List<String> erlangNodes, String table, Duration timeout,
			Consumer<String> bridgeLoader) {
		if (erlangNodes == null || erlangNodes.isEmpty() || erlangNodes.stream().anyMatch((n) -> n == null || n.isBlank())) {
			throw new IllegalArgumentException("the " + kind.id + " state backend needs the Erlang nodes that hold the table");
		}
		if (table == null || table.isBlank()) {
			throw new IllegalArgumentException("the " + kind.id + " state backend needs a table name");
		}
		this.kind = kind;
		this.node = node;
		this.erlangNodes = List.copyOf(erlangNodes);
		this.table = new OtpErlangAtom(table);
		this.timeout = timeout;
		this.bridgeLoader = bridgeLoader;
	}

	/** The two remote backends: the Erlang module that does the work and how a table is made. */
	enum Kind {

		/** An ETS table on one node, made by {@code spring_bridge:ensure_table/1}. */
		ETS("ets", "spring_bridge_state"),

		/** A Mnesia table replicated on several nodes, made by {@code spring_bridge_mnesia:ensure_table/2}. */
		MNESIA("mnesia", "spring_bridge_mnesia");

		final String id;

		final String module;

		Kind(String id, String module) {
			this.id = id;
			this.module = module;
		}

	}

	@Override
	public String type() {
		return this.kind.id;
	}

	@Override
	public OtpErlangObject get(String key) {
		return value(call(true, "get", StateTerms.key(key)));
	}

	@Override
	public Map<String, OtpErlangObject> getMulti(List<String> keys) {
		List<OtpErlangObject> binaries = new ArrayList<>(keys.size());
		keys.forEach((key) -> binaries.add(StateTerms.key(key)));
		OtpErlangMap found = (OtpErlangMap) call(true, "get_multi",
				new OtpErlangList(binaries.toArray(new OtpErlangObject[0])));
		Map<String, OtpErlangObject> values = new LinkedHashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			values.put(keys.get(i), value(found.get(binaries.get(i))));
		}
		return values;
	}

	@Override
	public void set(String key, OtpErlangObject value, Duration ttl) {
		call(false, "set", StateTerms.key(key), value, StateTerms.ttlMillis(ttl));
	}

	@Override
	public boolean putIfAbsent(String key, OtpErlangObject value, Duration ttl) {
		return bool(call(false, "put_if_absent", StateTerms.key(key), value, StateTerms.ttlMillis(ttl)));
	}

	@Override
	public boolean delete(String key) {
		return bool(call(false, "delete", StateTerms.key(key)));
	}

	@Override
	public long increment(String key, long delta) {
		OtpErlangObject result = call(false, "incr", StateTerms.key(key), new OtpErlangLong(delta));
		if (!(result instanceof OtpErlangLong integer && integer.isLong())) {
			throw StateTerms.outOfRange(key);
		}
		return integer.longValue();
	}

	@Override
	public List<String> keys(String prefix) {
		OtpErlangList keys = (OtpErlangList) call(true, "keys",
				new OtpErlangBinary(prefix.getBytes(StandardCharsets.UTF_8)));
		List<String> names = new ArrayList<>(keys.arity());
		for (OtpErlangObject key : keys) {
			names.add(new String(((OtpErlangBinary) key).binaryValue(), StandardCharsets.UTF_8));
		}
		return names;
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		return bool(call(false, "expire", StateTerms.key(key), StateTerms.ttlMillis(ttl)));
	}

	/**
	 * Calls {@code function} on a node that holds the table; {@code read} says whether it may be
	 * repeated on another node when the connection is lost during the call.
	 */
	private OtpErlangObject call(boolean read, String function, OtpErlangObject... args) {
		OtpErlangObject[] full = new OtpErlangObject[args.length + 1];
		full[0] = this.table;
		System.arraycopy(args, 0, full, 1, args.length);
		OtpErlangList arguments = new OtpErlangList(full);
		int count = this.erlangNodes.size();
		int first = this.current;
		ErlangNodeDownException down = null;
		for (int attempt = 0; attempt < count; attempt++) {
			int index = (first + attempt) % count;
			String target = this.erlangNodes.get(index);
			if (count > 1 && !reachable(target)) {
				continue;
			}
			try {
				OtpErlangObject result = callOn(target, function, arguments);
				this.current = index;
				return result;
			}
			catch (ErlangNodeDownException ex) {
				this.current = (index + 1) % count;
				if (!read) {
					throw ex;
				}
				down = ex;
			}
		}
		if (down != null) {
			throw down;
		}
		throw new ErlangNodeDownException(this.erlangNodes.get(first), "none of the nodes holding the state table '"
				+ this.table.atomValue() + "' can be reached: " + this.erlangNodes);
	}

	private boolean reachable(String target) {
		return this.node.connectedNodes().contains(target) || this.node.ping(target, this.timeout);
	}

	private OtpErlangObject callOn(String target, String function, OtpErlangList arguments) {
		try {
			return rpc(target, this.kind.module, function, arguments);
		}
		catch (ErlangRemoteException ex) {
			if (!isMissingBridgeOrTable(ex)) {
				throw translate(target, ex);
			}
			prepare(target);
			try {
				return rpc(target, this.kind.module, function, arguments);
			}
			catch (ErlangRemoteException again) {
				throw translate(target, again);
			}
		}
	}

	/** Loads spring_bridge if needed and makes the table there. */
	private void prepare(String target) {
		if (this.bridgeLoader != null) {
			this.bridgeLoader.accept(target);
		}
		OtpErlangObject result;
		try {
			result = switch (this.kind) {
				case ETS -> rpc(target, "spring_bridge", "ensure_table", new OtpErlangList(this.table));
				case MNESIA -> rpc(target, this.kind.module, "ensure_table", new OtpErlangList(
						new OtpErlangObject[] { this.table, new OtpErlangList(this.erlangNodes.stream()
							.map(OtpErlangAtom::new)
							.toArray(OtpErlangObject[]::new)) }));
			};
		}
		catch (ErlangRemoteException ex) {
			throw new ErlangStateException("Cannot create the state table '" + this.table.atomValue() + "' on "
					+ target + ": spring_bridge is not running there (" + ex.getErlangClass() + ":"
					+ ex.getReason() + "). Start it with spring_bridge:start() or let the application load it "
					+ "(erlang.bridge.auto-load=true).", ex.getReason(), ex);
		}
		if (!(result instanceof OtpErlangAtom ok && ok.atomValue().equals("ok"))) {
			throw new ErlangStateException("Cannot create the state table '" + this.table.atomValue() + "' on "
					+ target + ": " + result, result);
		}
	}

	private OtpErlangObject rpc(String target, String module, String function, OtpErlangList args) {
		return ErlangFutures.await(this.node.rpc(target, module, function, args, this.timeout), this.timeout,
				"state operation " + module + ":" + function + " on " + target);
	}

	private boolean isMissingBridgeOrTable(ErlangRemoteException ex) {
		if (ex.getErlangClass() != ErlangClass.ERROR) {
			return false;
		}
		OtpErlangObject reason = ex.getReason();
		if (reason instanceof OtpErlangAtom atom && atom.atomValue().equals("undef")) {
			return true;
		}
		return reason instanceof OtpErlangTuple tuple && tuple.arity() == 2
				&& tuple.elementAt(0) instanceof OtpErlangAtom tag && tag.atomValue().equals("no_table");
	}

	private RuntimeException translate(String target, ErlangRemoteException ex) {
		if (ex.getErlangClass() == ErlangClass.ERROR && ex.getReason() instanceof OtpErlangTuple tuple
				&& tuple.arity() == 3 && tuple.elementAt(0) instanceof OtpErlangAtom tag
				&& tag.atomValue().equals("not_integer") && tuple.elementAt(1) instanceof OtpErlangBinary key) {
			ErlangStateException refused = StateTerms
				.notInteger(new String(key.binaryValue(), StandardCharsets.UTF_8), tuple.elementAt(2));
			refused.initCause(ex);
			return refused;
		}
		if (ex.getErlangClass() == ErlangClass.ERROR && ex.getReason() instanceof OtpErlangAtom atom
				&& atom.atomValue().equals("undef")) {
			return new ErlangStateException("spring_bridge is not loaded on " + target
					+ ": load it (erlang.bridge.auto-load=true) or put it on that node's code path", ex.getReason(), ex);
		}
		return ex;
	}

	private static OtpErlangObject value(OtpErlangObject term) {
		return (term == null || StateTerms.UNDEFINED.equals(term)) ? null : term;
	}

	private static boolean bool(OtpErlangObject term) {
		return term instanceof OtpErlangAtom atom && atom.booleanValue();
	}

	@Override
	public String toString() {
		return this.kind.id + " table " + this.table.atomValue() + " on " + String.join(", ", this.erlangNodes);
	}

}
