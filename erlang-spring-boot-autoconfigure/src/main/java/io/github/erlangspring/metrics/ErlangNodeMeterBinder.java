package io.github.erlangspring.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangNode.ConnectionInfo;

/**
 * The meters read from a running node when they are scraped:
 * <ul>
 * <li>{@code erlang.node.peers} (state): gauge of the connected nodes ({@code connected}) and of
 * the expected peers that are not connected ({@code disconnected})</li>
 * <li>{@code erlang.node.messages} and {@code erlang.node.bytes} (direction: {@code received},
 * {@code sent}): counters of the distribution frames and bytes of all connections, open and
 * closed</li>
 * </ul>
 * The counts of closed connections come from the {@link ErlangNodeMetrics} observing the node,
 * so that observer must be added to the node for the counters to include them.
 */
public class ErlangNodeMeterBinder implements MeterBinder {

	private final ErlangNode node;

	private final ErlangNodeMetrics metrics;

	private final Supplier<? extends Collection<String>> expectedPeers;

	/** Micrometer holds what function counters read weakly. */
	private final List<Total> totals = new CopyOnWriteArrayList<>();

	/**
	 * @param node the node
	 * @param metrics the observer of the node, which counts closed connections
	 * @param expectedPeers the peers the node should be connected to (e.g. {@code erlang.connect})
	 */
	public ErlangNodeMeterBinder(ErlangNode node, ErlangNodeMetrics metrics,
			Supplier<? extends Collection<String>> expectedPeers) {
		this.node = Objects.requireNonNull(node, "node");
		this.metrics = Objects.requireNonNull(metrics, "metrics");
		this.expectedPeers = Objects.requireNonNull(expectedPeers, "expectedPeers");
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("erlang.node.peers", this, (binder) -> binder.node.connectedNodes().size())
			.description("Nodes connected (connected), and expected peers not connected (disconnected)")
			.tag("state", "connected")
			.register(registry);
		Gauge.builder("erlang.node.peers", this, ErlangNodeMeterBinder::disconnectedPeers)
			.description("Nodes connected (connected), and expected peers not connected (disconnected)")
			.tag("state", "disconnected")
			.register(registry);
		traffic(registry, "erlang.node.messages", "received", null, ConnectionInfo::messagesIn,
				ErlangNodeMetrics::closedMessagesIn);
		traffic(registry, "erlang.node.messages", "sent", null, ConnectionInfo::messagesOut,
				ErlangNodeMetrics::closedMessagesOut);
		traffic(registry, "erlang.node.bytes", "received", "bytes", ConnectionInfo::bytesIn,
				ErlangNodeMetrics::closedBytesIn);
		traffic(registry, "erlang.node.bytes", "sent", "bytes", ConnectionInfo::bytesOut,
				ErlangNodeMetrics::closedBytesOut);
	}

	private double disconnectedPeers() {
		Collection<String> connected = this.node.connectedNodes();
		return this.expectedPeers.get().stream().filter((peer) -> !connected.contains(peer)).count();
	}

	private void traffic(MeterRegistry registry, String name, String direction, String unit,
			ToLongFunction<ConnectionInfo> open, ToLongFunction<ErlangNodeMetrics> closed) {
		Total total = new Total(() -> {
			long sum = closed.applyAsLong(this.metrics);
			for (ConnectionInfo connection : this.node.connections().values()) {
				sum += open.applyAsLong(connection);
			}
			return sum;
		});
		this.totals.add(total);
		FunctionCounter.builder(name, total, Total::read)
			.description(name.endsWith("bytes") ? "Distribution bytes exchanged with other nodes"
					: "Distribution frames (messages and signals) exchanged with other nodes")
			.baseUnit(unit)
			.tag("direction", direction)
			.register(registry);
	}

	/**
	 * A total that never decreases: a closing connection leaves the open ones a moment before
	 * the observer adds it to the closed ones.
	 */
	private static final class Total {

		private final LongSupplier sum;

		private final AtomicLong highest = new AtomicLong();

		Total(LongSupplier sum) {
			this.sum = sum;
		}

		double read() {
			return this.highest.accumulateAndGet(this.sum.getAsLong(), Math::max);
		}

	}

}
