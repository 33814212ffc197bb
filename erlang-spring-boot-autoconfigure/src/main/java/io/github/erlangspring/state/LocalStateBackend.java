package io.github.erlangspring.state;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * {@link StateBackend#local()}: a {@link ConcurrentHashMap} of terms with expiry times. Updates
 * that read before they write ({@code increment}, {@code putIfAbsent}, {@code expire}) run inside
 * {@code compute}, so they are atomic per key; a read deletes the expired entry it finds.
 */
final class LocalStateBackend implements StateBackend {

	@Override
	public String type() {
		return "local";
	}

	private static final long NEVER = Long.MAX_VALUE;

	private final Map<String, Entry> entries = new ConcurrentHashMap<>();

	private final long origin = System.nanoTime();

	private final ScheduledExecutorService purger;

	LocalStateBackend(Duration purgeInterval) {
		if (purgeInterval == null || purgeInterval.isNegative() || purgeInterval.isZero()) {
			throw new IllegalArgumentException("purge interval must be positive, got " + purgeInterval);
		}
		this.purger = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "erlang-state-purge");
			thread.setDaemon(true);
			return thread;
		});
		long interval = purgeInterval.toNanos();
		this.purger.scheduleWithFixedDelay(this::purge, interval, interval, TimeUnit.NANOSECONDS);
	}

	/** Nanoseconds since this backend started: positive and increasing for centuries. */
	private long now() {
		return System.nanoTime() - this.origin;
	}

	private long expiresAt(Duration ttl) {
		if (ttl == null) {
			return NEVER;
		}
		long nanos;
		try {
			nanos = ttl.toNanos();
		}
		catch (ArithmeticException ex) {
			return NEVER;
		}
		long at = now() + nanos;
		return (at < 0) ? NEVER : at;
	}

	@Override
	public OtpErlangObject get(String key) {
		Entry entry = this.entries.get(StateTerms.checkKey(key));
		if (entry == null) {
			return null;
		}
		if (entry.expired(now())) {
			this.entries.remove(key, entry);
			return null;
		}
		return entry.value;
	}

	@Override
	public Map<String, OtpErlangObject> getMulti(List<String> keys) {
		Map<String, OtpErlangObject> values = new LinkedHashMap<>();
		for (String key : keys) {
			values.put(key, get(key));
		}
		return values;
	}

	@Override
	public void set(String key, OtpErlangObject value, Duration ttl) {
		this.entries.put(StateTerms.checkKey(key), new Entry(value, expiresAt(ttl)));
	}

	@Override
	public boolean putIfAbsent(String key, OtpErlangObject value, Duration ttl) {
		boolean[] stored = new boolean[1];
		this.entries.compute(StateTerms.checkKey(key), (k, entry) -> {
			if (entry != null && !entry.expired(now())) {
				return entry;
			}
			stored[0] = true;
			return new Entry(value, expiresAt(ttl));
		});
		return stored[0];
	}

	@Override
	public boolean delete(String key) {
		Entry entry = this.entries.remove(StateTerms.checkKey(key));
		return entry != null && !entry.expired(now());
	}

	@Override
	public long increment(String key, long delta) {
		long[] result = new long[1];
		this.entries.compute(StateTerms.checkKey(key), (k, entry) -> {
			if (entry == null || entry.expired(now())) {
				result[0] = delta;
				return new Entry(new OtpErlangLong(delta), NEVER);
			}
			// an exception here leaves the mapping unchanged
			if (!(entry.value instanceof OtpErlangLong integer)) {
				throw StateTerms.notInteger(key, entry.value);
			}
			if (!integer.isLong()) {
				throw StateTerms.outOfRange(key);
			}
			try {
				result[0] = Math.addExact(integer.longValue(), delta);
			}
			catch (ArithmeticException ex) {
				throw StateTerms.outOfRange(key);
			}
			return new Entry(new OtpErlangLong(result[0]), entry.expiresAt);
		});
		return result[0];
	}

	@Override
	public List<String> keys(String prefix) {
		long now = now();
		return this.entries.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith(prefix) && !entry.getValue().expired(now))
			.map(Map.Entry::getKey)
			.sorted()
			.toList();
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		boolean[] live = new boolean[1];
		this.entries.computeIfPresent(StateTerms.checkKey(key), (k, entry) -> {
			if (entry.expired(now())) {
				return null;
			}
			live[0] = true;
			return new Entry(entry.value, expiresAt(ttl));
		});
		return live[0];
	}

	void purge() {
		long now = now();
		this.entries.values().removeIf((entry) -> entry.expired(now));
	}

	/** @return every key held, expired ones included (until purged) */
	java.util.Set<String> rawKeys() {
		return java.util.Set.copyOf(this.entries.keySet());
	}

	@Override
	public void close() {
		this.purger.shutdownNow();
	}

	private record Entry(OtpErlangObject value, long expiresAt) {

		boolean expired(long now) {
			return now >= this.expiresAt;
		}

	}

}
