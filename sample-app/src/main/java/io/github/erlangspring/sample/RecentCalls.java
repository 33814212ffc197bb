package io.github.erlangspring.sample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.github.erlangspring.autoconfigure.ErlangNodeConfigCustomizer;
import io.github.erlangspring.node.ErlangNodeDownException;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.ErlangTimeoutException;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.node.NodeObserver.RpcOutcome;
import io.github.erlangspring.node.NodeObserver;

import org.springframework.stereotype.Component;

/**
 * The last RPC calls in both directions, for the dashboard: a {@link NodeObserver} added to the
 * node, as any application can add its own next to the metrics.
 */
@Component
public class RecentCalls implements NodeObserver, ErlangNodeConfigCustomizer {

	private static final int KEEP = 15;

	private final Deque<Call> calls = new ArrayDeque<>();

	/**
	 * One call.
	 * @param direction {@code in} (Erlang called Java) or {@code out} (Java called Erlang)
	 * @param node the other node, for calls out
	 * @param function {@code module:function/arity}
	 * @param outcome {@code return}, {@code error}, {@code timeout}...
	 * @param millis how long it took
	 * @param at when it finished
	 */
	public record Call(String direction, String node, String function, String outcome, double millis, String at) {
	}

	@Override
	public void customize(NodeConfig.Builder builder) {
		builder.addObserver(this);
	}

	@Override
	public void rpcServed(String module, String function, int arity, RpcOutcome outcome, long nanos) {
		add(new Call("in", null, module + ":" + function + "/" + arity, outcome.tag(), nanos / 1e6, Instant.now().toString()));
	}

	@Override
	public void rpcCalled(String node, String module, String function, int arity, Throwable failure, long nanos) {
		add(new Call("out", node, module + ":" + function + "/" + arity, outcome(failure), nanos / 1e6,
				Instant.now().toString()));
	}

	private static String outcome(Throwable failure) {
		if (failure == null) {
			return "return";
		}
		if (failure instanceof ErlangRemoteException remote) {
			return remote.getErlangClass().atomValue();
		}
		if (failure instanceof ErlangTimeoutException) {
			return "timeout";
		}
		return (failure instanceof ErlangNodeDownException) ? "nodedown" : failure.getClass().getSimpleName();
	}

	private synchronized void add(Call call) {
		this.calls.addFirst(call);
		if (this.calls.size() > KEEP) {
			this.calls.removeLast();
		}
	}

	/** @return the recent calls, newest first */
	public synchronized List<Call> recent() {
		return List.copyOf(this.calls);
	}

}
