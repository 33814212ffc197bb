package io.github.erlangspring.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.node.NodeObserver;
import io.github.erlangspring.state.StateBackend;

/**
 * A state backend that reports each operation, with its outcome and duration, to a
 * {@link NodeObserver}: so the state meters count what {@code StateTemplate} and Erlang (through
 * the exposed state functions) do alike.
 */
final class ObservedStateBackend implements StateBackend {

	private final StateBackend backend;

	private final String name;

	private final NodeObserver observer;

	ObservedStateBackend(StateBackend backend, NodeObserver observer) {
		this.backend = backend;
		this.name = name(backend);
		this.observer = observer;
	}

	/** {@link StateBackend#type()}: {@code local}, {@code ets}, {@code mnesia} or {@code custom}. */
	static String name(StateBackend backend) {
		return backend.type();
	}

	private <T> T observe(String operation, Supplier<T> call) {
		long start = System.nanoTime();
		NodeObserver.Result outcome = NodeObserver.Result.ERROR;
		try {
			T result = call.get();
			outcome = NodeObserver.Result.OK;
			return result;
		}
		finally {
			this.observer.stateOperation(this.name, operation, outcome, System.nanoTime() - start);
		}
	}

	@Override
	public String type() {
		return this.backend.type();
	}

	@Override
	public OtpErlangObject get(String key) {
		return observe("get", () -> this.backend.get(key));
	}

	@Override
	public Map<String, OtpErlangObject> getMulti(List<String> keys) {
		return observe("get_multi", () -> this.backend.getMulti(keys));
	}

	@Override
	public void set(String key, OtpErlangObject value, Duration ttl) {
		observe("set", () -> {
			this.backend.set(key, value, ttl);
			return null;
		});
	}

	@Override
	public boolean putIfAbsent(String key, OtpErlangObject value, Duration ttl) {
		return observe("put_if_absent", () -> this.backend.putIfAbsent(key, value, ttl));
	}

	@Override
	public boolean delete(String key) {
		return observe("delete", () -> this.backend.delete(key));
	}

	@Override
	public long increment(String key, long delta) {
		return observe("increment", () -> this.backend.increment(key, delta));
	}

	@Override
	public List<String> keys(String prefix) {
		return observe("keys", () -> this.backend.keys(prefix));
	}

	@Override
	public boolean expire(String key, Duration ttl) {
		return observe("expire", () -> this.backend.expire(key, ttl));
	}

	@Override
	public void close() {
		this.backend.close();
	}

	@Override
	public String toString() {
		return this.backend.toString();
	}

}
