package io.github.erlangspring.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.ErlangException;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.ErlangTimeoutException;

/**
 * {@link StateBackend#ets}: every operation is one {@code erpc:call} of
 * {@code spring_bridge_state} on the Erlang node, which works on the table directly from the
 * calling process. When the module or the table is missing there (a fresh or restarted node),
 * the backend loads {@code spring_bridge}, creates the table and tries once more.
 */
final class EtsStateBackend implements StateBackend {

	private static final String MODULE = "spring_bridge_state";

	private final ErlangNode node;

	private final String erlangNode;

	private final OtpErlangAtom table;

	private final Duration timeout;

	private final Consumer<String> bridgeLoader;

	EtsStateBackend(ErlangNode node, String erlangNode, String table, Duration timeout, Consumer<String> bridgeLoader) {
		if (erlangNode == null || erlangNode.isBlank()) {
			throw new IllegalArgumentException("the ets state backend needs the Erlang node that holds the table");
		}
		if (table == null || table.isBlank()) {
			throw new IllegalArgumentException("the ets state backend needs a table name");
		}
		this.node = node;
		this.erlangNode = erlangNode;
		this.table = new OtpErlangAtom(table);
		this.timeout = timeout;
		this.bridgeLoader = bridgeLoader;
	}

	@Override
	public OtpErlangObject get(String key) {
		return value(call("get", StateTerms.key(key)));
	}

	@Override
	public Map<String, OtpErlangObject> getMulti(List<String> keys) {
		List<OtpErlangObject> binaries = new ArrayList<>(keys.size());
		keys.forEach((key) -> binaries.add(StateTerms.key(key)));
		OtpErlangMap found = (OtpErlangMap) call("get_multi", new OtpErlangList(binaries.toArray(new OtpErlangObject[0])));
		Map<String, OtpErlangObject> values = new LinkedHashMap<>();
		for (int i = 0; i < keys.size(); i++) {
			values.put(keys.get(i), value(found.get(binaries.get(i))));
		}
		return values;
	}

	@Override
	public void set(String key, OtpErlangObject value, Duration ttl) {
		call("set", StateTerms.key(key), value, StateTerms.ttlMillis(ttl));
	}

	@Override
	public boolean putIfAbsent(String key, OtpErlangObject value, Duration ttl) {
		return bool(call("put_if_absent", StateTerms.key(key), value, StateTerms.ttlMillis(ttl)));
	}

	@Override
	public boolean delete(String key) {
		return bool(call("delete", StateTerms.key(key)));
	}

	@Override
	public long increment(String key, long delta) {
		OtpErlangObject result = call("incr", StateTerms.key(key), new OtpErlangLong(delta));
		if (!(result instanceof OtpErlangLong integer && integer.isLong())) {
			throw StateTerms.outOfRange(key);
		}
		return integer.longValue();
	}

	@Override
	public List<String> keys(String prefix) {
		OtpErlangList keys = (OtpErlangList) call("keys",
				new OtpErlangBinary(prefix.getBytes(StandardCharsets.UTF_8)));
		List<String> names = new ArrayList<>(keys.arity());
		for (OtpErlangObject key : keys) {
			names.add(new String(((OtpErlangBinary) key).binaryValue(), StandardCharsets.UTF_8));
		}
		return names;
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		return bool(call("expire", StateTerms.key(key), StateTerms.ttlMillis(ttl)));
	}

	private OtpErlangObject call(String function, OtpErlangObject... args) {
		OtpErlangObject[] full = new OtpErlangObject[args.length + 1];
		full[0] = this.table;
		System.arraycopy(args, 0, full, 1, args.length);
		OtpErlangList arguments = new OtpErlangList(full);
		try {
			return rpc(MODULE, function, arguments);
		}
		catch (ErlangRemoteException ex) {
			if (!isMissingBridgeOrTable(ex)) {
				throw translate(ex);
			}
			prepare();
			try {
				return rpc(MODULE, function, arguments);
			}
			catch (ErlangRemoteException again) {
				throw translate(again);
			}
		}
	}

	/** Loads spring_bridge if needed and creates the table. */
	private void prepare() {
		if (this.bridgeLoader != null) {
			this.bridgeLoader.accept(this.erlangNode);
		}
		OtpErlangObject result;
		try {
			result = rpc("spring_bridge", "ensure_table", new OtpErlangList(this.table));
		}
		catch (ErlangRemoteException ex) {
			throw new ErlangStateException("Cannot create the state table '" + this.table.atomValue() + "' on "
					+ this.erlangNode + ": spring_bridge is not running there (" + ex.getErlangClass() + ":"
					+ ex.getReason() + "). Start it with spring_bridge:start() or let the application load it "
					+ "(erlang.bridge.auto-load=true).", ex.getReason(), ex);
		}
		if (!(result instanceof OtpErlangAtom ok && ok.atomValue().equals("ok"))) {
			throw new ErlangStateException("Cannot create the state table '" + this.table.atomValue() + "' on "
					+ this.erlangNode + ": " + result, result);
		}
	}

	private OtpErlangObject rpc(String module, String function, OtpErlangList args) {
		CompletableFuture<OtpErlangObject> call = this.node.rpc(this.erlangNode, module, function, args, this.timeout);
		try {
			// the call times out by itself; the margin only guards against a lost reply
			return call.get(this.timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof ErlangException erlang) {
				erlang.addSuppressed(new ErlangException("state operation " + module + ":" + function + " on "
						+ this.erlangNode));
				throw erlang;
			}
			throw new ErlangException(String.valueOf(ex.getCause()), ex.getCause());
		}
		catch (TimeoutException ex) {
			call.cancel(false);
			throw new ErlangTimeoutException("state operation " + function + " on " + this.erlangNode
					+ " got no answer within " + this.timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ErlangException("interrupted while waiting for " + this.erlangNode, ex);
		}
	}

	private boolean isMissingBridgeOrTable(ErlangRemoteException ex) {
		if (!"error".equals(ex.getErlangClass())) {
			return false;
		}
		OtpErlangObject reason = ex.getReason();
		if (reason instanceof OtpErlangAtom atom && atom.atomValue().equals("undef")) {
			return true;
		}
		return reason instanceof OtpErlangTuple tuple && tuple.arity() == 2
				&& tuple.elementAt(0) instanceof OtpErlangAtom tag && tag.atomValue().equals("no_table");
	}

	private RuntimeException translate(ErlangRemoteException ex) {
		if ("error".equals(ex.getErlangClass()) && ex.getReason() instanceof OtpErlangTuple tuple
				&& tuple.arity() == 3 && tuple.elementAt(0) instanceof OtpErlangAtom tag
				&& tag.atomValue().equals("not_integer") && tuple.elementAt(1) instanceof OtpErlangBinary key) {
			ErlangStateException refused = StateTerms
				.notInteger(new String(key.binaryValue(), StandardCharsets.UTF_8), tuple.elementAt(2));
			refused.initCause(ex);
			return refused;
		}
		if ("error".equals(ex.getErlangClass()) && ex.getReason() instanceof OtpErlangAtom atom
				&& atom.atomValue().equals("undef")) {
			return new ErlangStateException("spring_bridge is not loaded on " + this.erlangNode
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
		return "ets table " + this.table.atomValue() + " on " + this.erlangNode;
	}

}
