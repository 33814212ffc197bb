package io.github.erlangspring.state;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.convert.ErlangConverter;

/**
 * The default {@link StateOperations}: converts with an {@link ErlangConverter} and keeps the
 * terms in a {@link StateBackend}.
 */
public class StateTemplate implements StateOperations {

	private final StateBackend backend;

	private final ErlangConverter converter;

	public StateTemplate(StateBackend backend, ErlangConverter converter) {
		this.backend = Objects.requireNonNull(backend, "backend");
		this.converter = Objects.requireNonNull(converter, "converter");
	}

	/** @return the backend holding the state */
	public StateBackend getBackend() {
		return this.backend;
	}

	@Override
	public Object get(String key) {
		OtpErlangObject term = this.backend.get(StateTerms.checkKey(key));
		return (term != null) ? this.converter.fromErlang(term) : null;
	}

	@Override
	public <T> T get(String key, Class<T> type) {
		OtpErlangObject term = this.backend.get(StateTerms.checkKey(key));
		return (term != null) ? this.converter.fromErlang(term, type) : null;
	}

	@Override
	public Map<String, Object> getMulti(Collection<String> keys) {
		return getMulti(keys, Object.class);
	}

	@Override
	public <T> Map<String, T> getMulti(Collection<String> keys, Class<T> type) {
		List<String> list = List.copyOf(keys);
		Map<String, T> values = new LinkedHashMap<>();
		this.backend.getMulti(list).forEach((key, term) -> values.put(key,
				(term != null) ? this.converter.fromErlang(term, type) : null));
		return values;
	}

	@Override
	public void set(String key, Object value) {
		this.backend.set(StateTerms.checkKey(key), this.converter.toErlang(value), null);
	}

	@Override
	public void set(String key, Object value, Duration ttl) {
		this.backend.set(StateTerms.checkKey(key), this.converter.toErlang(value), StateTerms.checkTtl(ttl));
	}

	@Override
	public boolean putIfAbsent(String key, Object value) {
		return this.backend.putIfAbsent(StateTerms.checkKey(key), this.converter.toErlang(value), null);
	}

	@Override
	public boolean putIfAbsent(String key, Object value, Duration ttl) {
		return this.backend.putIfAbsent(StateTerms.checkKey(key), this.converter.toErlang(value),
				StateTerms.checkTtl(ttl));
	}

	@Override
	public boolean delete(String key) {
		return this.backend.delete(StateTerms.checkKey(key));
	}

	@Override
	public long incr(String key) {
		return incr(key, 1);
	}

	@Override
	public long incr(String key, long delta) {
		return this.backend.increment(StateTerms.checkKey(key), delta);
	}

	@Override
	public long decr(String key) {
		return incr(key, -1);
	}

	@Override
	public long decr(String key, long delta) {
		if (delta == Long.MIN_VALUE) {
			throw new IllegalArgumentException("decr delta " + delta + " cannot be negated");
		}
		return incr(key, -delta);
	}

	@Override
	public List<String> keys(String prefix) {
		return this.backend.keys(Objects.requireNonNull(prefix, "prefix"));
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		return this.backend.expire(StateTerms.checkKey(key), StateTerms.checkTtl(ttl));
	}

	@Override
	public boolean persist(String key) {
		return this.backend.expire(StateTerms.checkKey(key), null);
	}

	@Override
	public String toString() {
		return "StateTemplate[" + this.backend + "]";
	}

}
