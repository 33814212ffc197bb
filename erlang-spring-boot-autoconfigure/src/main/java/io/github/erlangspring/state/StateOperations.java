package io.github.erlangspring.state;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Key/value state shared with Erlang, with ETS semantics. Implemented by {@link StateTemplate}
 * over a {@link StateBackend}: {@code local} (a table inside the Java node that Erlang reaches
 * with {@code rpc:call(JavaNode, spring_state, ...)}) or {@code ets} (an ETS table on an Erlang
 * node, which Erlang code there reads with {@code ets:lookup/2}).
 * <p>
 * <b>Keys</b> are strings; on the Erlang side they are UTF-8 binaries ({@code "views"} is
 * {@code <<"views">>}). <b>Values</b> go through the
 * {@link io.github.erlangspring.convert.ErlangConverter}: what Java stores, Erlang reads as the
 * converted term (a {@code String} as a binary, a {@code long} as an integer, a record as a map),
 * and what Erlang stores, Java reads converted back. {@code null} is stored as {@code undefined}.
 * <p>
 * <b>Semantics.</b>
 * <ul>
 * <li>{@link #incr(String) incr} on a missing key starts from 0; on a value that is not an
 * integer it throws {@link ErlangStateException} and leaves the value as it was. Counters are
 * atomic, also when Java threads and Erlang processes update the same key at once; they may go
 * below zero. Counters are 64-bit: a result outside the {@code long} range fails.</li>
 * <li>A time to live makes a key expire exactly: a read that starts after the expiry never
 * returns it (every read checks; a periodic purge only frees memory). {@code set} without a TTL
 * removes an earlier TTL; {@code incr} keeps it; an expired counter starts again from 0.</li>
 * <li>{@link #getMulti(Collection) getMulti} returns every key asked for, a missing or expired
 * one mapped to {@code null}; on the {@code ets} backend it is one round trip.</li>
 * </ul>
 * <b>Errors</b> are unchecked: {@link ErlangStateException} for refused operations,
 * {@link IllegalArgumentException} for a {@code null} key or a TTL that is not positive, and the
 * {@link io.github.erlangspring.node.ErlangException} family when the {@code ets} node cannot be
 * reached ({@link io.github.erlangspring.node.ErlangNodeDownException},
 * {@link io.github.erlangspring.node.ErlangTimeoutException}).
 */
public interface StateOperations {

	/**
	 * Reads a value, converted naturally (integers to {@code Long}, binaries to {@code String},
	 * maps to {@code Map}; see {@link io.github.erlangspring.convert.ErlangConverter#fromErlang(com.ericsson.otp.erlang.OtpErlangObject)}).
	 * @param key the key
	 * @return the value, or {@code null} when the key is missing or expired
	 */
	Object get(String key);

	/**
	 * Reads a value converted to {@code type}.
	 * @param key the key
	 * @param type the Java type
	 * @return the value, or {@code null} when the key is missing or expired
	 * @throws io.github.erlangspring.convert.ErlangConversionException when the value does not
	 * convert to {@code type}
	 */
	<T> T get(String key, Class<T> type);

	/**
	 * Reads many keys at once.
	 * @param keys the keys
	 * @return a map, in the order given, holding every key asked for, missing or expired ones
	 * mapped to {@code null}
	 */
	Map<String, Object> getMulti(Collection<String> keys);

	/**
	 * Reads many keys at once, converting each value to {@code type}.
	 * @param keys the keys
	 * @param type the Java type of the values
	 * @return a map, in the order given, holding every key asked for, missing or expired ones
	 * mapped to {@code null}
	 */
	<T> Map<String, T> getMulti(Collection<String> keys, Class<T> type);

	/**
	 * Stores a value without expiry, replacing any value and any TTL.
	 * @param key the key
	 * @param value the value (converted)
	 */
	void set(String key, Object value);

	/**
	 * Stores a value that expires after {@code ttl}.
	 * @param key the key
	 * @param value the value (converted)
	 * @param ttl the time to live, positive (rounded up to whole milliseconds on {@code ets})
	 */
	void set(String key, Object value, Duration ttl);

	/**
	 * Stores a value unless the key holds one (an expired value counts as none).
	 * @param key the key
	 * @param value the value (converted)
	 * @return whether the value was stored
	 */
	boolean putIfAbsent(String key, Object value);

	/**
	 * Stores a value that expires after {@code ttl}, unless the key holds one.
	 * @param key the key
	 * @param value the value (converted)
	 * @param ttl the time to live, positive
	 * @return whether the value was stored
	 */
	boolean putIfAbsent(String key, Object value, Duration ttl);

	/**
	 * Deletes a key.
	 * @param key the key
	 * @return whether the key held a value (that had not expired)
	 */
	boolean delete(String key);

	/**
	 * Adds one to the integer under {@code key}.
	 * @param key the key
	 * @return the new value
	 * @throws ErlangStateException when the value is not an integer (it is left as it was)
	 */
	long incr(String key);

	/**
	 * Adds {@code delta} (may be negative) to the integer under {@code key}, atomically; a missing
	 * key starts from 0.
	 * @param key the key
	 * @param delta the amount to add
	 * @return the new value
	 * @throws ErlangStateException when the value is not an integer (it is left as it was), or the
	 * result is outside the {@code long} range
	 */
	long incr(String key, long delta);

	/**
	 * Subtracts one from the integer under {@code key}; may go below zero.
	 * @param key the key
	 * @return the new value
	 * @throws ErlangStateException when the value is not an integer
	 */
	long decr(String key);

	/**
	 * Subtracts {@code delta} from the integer under {@code key}; may go below zero.
	 * @param key the key
	 * @param delta the amount to subtract
	 * @return the new value
	 * @throws ErlangStateException when the value is not an integer
	 */
	long decr(String key, long delta);

	/**
	 * Lists keys. On {@code ets} this scans the table.
	 * @param prefix the start of the keys to list ({@code ""} for all)
	 * @return the keys that start with {@code prefix} and have not expired, sorted
	 */
	List<String> keys(String prefix);

	/**
	 * Makes a key expire {@code ttl} from now (replacing an earlier TTL).
	 * @param key the key
	 * @param ttl the time to live, positive
	 * @return whether the key held a value (nothing happens when it did not)
	 */
	boolean expire(String key, Duration ttl);

	/**
	 * Removes a key's TTL, so it no longer expires.
	 * @param key the key
	 * @return whether the key held a value
	 */
	boolean persist(String key);

}
