package io.github.erlangspring.state;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.node.ErlangNode;

/**
 * Where {@link StateTemplate} keeps its state: the SPI behind {@link StateOperations}, working on
 * Erlang terms (the template converts). Every implementation keeps the semantics documented on
 * {@link StateOperations}: reads never return expired values, {@link #increment} is atomic and
 * refuses non-integers with {@link ErlangStateException} without changing them, and
 * {@link #getMulti} answers for every key.
 * <p>
 * Two implementations come with the project: {@link #local()} and {@link #ets}. Implement this
 * interface to keep state elsewhere (see {@code docs/state.md} for a Mnesia-backed one).
 */
public interface StateBackend extends AutoCloseable {

	/**
	 * @param key the key
	 * @return the value, or {@code null} when missing or expired
	 */
	OtpErlangObject get(String key);

	/**
	 * @param keys the keys
	 * @return every key asked for, in that order, mapped to its value or {@code null}
	 */
	Map<String, OtpErlangObject> getMulti(List<String> keys);

	/**
	 * @param key the key
	 * @param value the value
	 * @param ttl the time to live, or {@code null} for none
	 */
	void set(String key, OtpErlangObject value, Duration ttl);

	/**
	 * @param key the key
	 * @param value the value
	 * @param ttl the time to live, or {@code null} for none
	 * @return whether the value was stored (the key held no live value)
	 */
	boolean putIfAbsent(String key, OtpErlangObject value, Duration ttl);

	/**
	 * @param key the key
	 * @return whether the key held a live value
	 */
	boolean delete(String key);

	/**
	 * Adds {@code delta} atomically; a missing or expired key starts from 0, a live one keeps its
	 * TTL.
	 * @param key the key
	 * @param delta the amount
	 * @return the new value
	 * @throws ErlangStateException when the value is not an integer or the result is not a
	 * {@code long}
	 */
	long increment(String key, long delta);

	/**
	 * @param prefix the start of the keys
	 * @return the live keys starting with {@code prefix}, sorted
	 */
	List<String> keys(String prefix);

	/**
	 * @param key the key
	 * @param ttl the new time to live, or {@code null} to remove the TTL
	 * @return whether the key held a live value
	 */
	boolean expire(String key, Duration ttl);

	/**
	 * @return what kind of backend this is, as the {@code backend} tag of the state meters:
	 * {@code local}, {@code ets}, {@code mnesia}, or {@code custom} for one of the application's own
	 */
	default String type() {
		return "custom";
	}

	/** Releases what the backend holds (timers, not the data of a remote table). */
	@Override
	default void close() {
	}

	/**
	 * A concurrent table in this JVM, purging expired entries every second.
	 * @return the backend
	 */
	static StateBackend local() {
		return local(Duration.ofSeconds(1));
	}

	/**
	 * A concurrent table in this JVM.
	 * @param purgeInterval how often to delete expired entries (reads never return them anyway)
	 * @return the backend
	 */
	static StateBackend local(Duration purgeInterval) {
		return new LocalStateBackend(purgeInterval);
	}

	/**
	 * An ETS table on an Erlang node, created by and owned by {@code spring_bridge} there, read and
	 * written with {@code spring_bridge_state} through {@code erpc}. Erlang code on that node sees
	 * the objects {@code {Key, Value, ExpiresAt}} with {@code ets:lookup/2}.
	 * @param node this node
	 * @param erlangNode the Erlang node holding the table
	 * @param table the table's name (an atom)
	 * @param timeout how long each call may take
	 * @param bridgeLoader loads {@code spring_bridge} onto a node when it is missing (called with
	 * the node name), or {@code null} when it is always there
	 * @return the backend
	 */
	static StateBackend ets(ErlangNode node, String erlangNode, String table, Duration timeout,
			Consumer<String> bridgeLoader) {
		return new RemoteStateBackend(RemoteStateBackend.Kind.ETS, node, List.of(erlangNode), table, timeout,
				bridgeLoader);
	}

	/**
	 * A Mnesia table replicated on several Erlang nodes ({@code ram_copies} on each), made by
	 * {@code spring_bridge_mnesia:ensure_table/2}, which starts Mnesia on those nodes and joins
	 * them, read and written with {@code spring_bridge_mnesia} through {@code erpc}. Every operation
	 * is one {@code mnesia:sync_transaction/1} on one of the nodes: acknowledged once every running
	 * replica has it, so losing any replica loses no acknowledged write, and calls go on through
	 * the others. A restarted node joins again and loads the table when it is next called.
	 * @param node this node
	 * @param erlangNodes the Erlang nodes holding replicas, the first one preferred
	 * @param table the table's name (an atom)
	 * @param timeout how long each call may take
	 * @param bridgeLoader loads {@code spring_bridge} onto a node when it is missing, or
	 * {@code null} when it is always there
	 * @return the backend
	 */
	static StateBackend mnesia(ErlangNode node, List<String> erlangNodes, String table, Duration timeout,
			Consumer<String> bridgeLoader) {
		return new RemoteStateBackend(RemoteStateBackend.Kind.MNESIA, node, erlangNodes, table, timeout, bridgeLoader);
	}

}
