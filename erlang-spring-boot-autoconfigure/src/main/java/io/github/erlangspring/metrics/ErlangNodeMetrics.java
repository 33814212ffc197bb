package io.github.erlangspring.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangNodeDownException;
import io.github.erlangspring.node.ErlangNoProcessException;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.ErlangTimeoutException;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.NodeObserver;
import io.github.erlangspring.node.NodeObserver.MessageKind;
import io.github.erlangspring.node.NodeObserver.Result;
import io.github.erlangspring.node.NodeObserver.RpcOutcome;

/**
 * Records a node's events as Micrometer meters: add it to the node with
 * {@link io.github.erlangspring.node.NodeConfig.Builder#addObserver}. Meters are created on the
 * first event that needs them; every tag value is a node name, a module, function or registered
 * process name, or one of a few fixed words, so cardinality stays bounded.
 * <ul>
 * <li>{@code erlang.node.connects} (peer), {@code erlang.node.disconnects} (peer, reason):
 * counters; the reason is one of {@code tick_timeout}, {@code protocol_violation},
 * {@code connection_lost}, {@code write_failed}, {@code send_queue_full}, {@code replaced},
 * {@code node_stopping}, {@code closed}, {@code other}</li>
 * <li>{@code erlang.node.tick.timeouts} (peer), {@code erlang.node.frames.malformed} (peer),
 * {@code erlang.node.sends.dropped} (peer): counters</li>
 * <li>{@code erlang.rpc.client} (node, module, function, outcome) and {@code erlang.rpc.server}
 * (module, function, outcome): timers; the outcome is {@code return}, {@code throw},
 * {@code exit} or {@code error}, and for client calls also {@code timeout}, {@code nodedown}
 * or {@code noproc}</li>
 * <li>{@code erlang.process.handling} (process, kind, outcome): timer of messages handled by
 * registered processes such as {@code @ErlangProcess} endpoints</li>
 * <li>{@code erlang.process.mailbox.size} (process): gauge of the messages waiting in each
 * registered mailbox</li>
 * <li>{@code erlang.pg.publishes}, {@code erlang.pg.deliveries} (scope): counters</li>
 * <li>{@code erlang.state.operations} (backend, operation, outcome): timer</li>
 * </ul>
 * It also keeps the message and byte counts of closed connections, which
 * {@link ErlangNodeMeterBinder} adds to those of the open ones.
 */
public class ErlangNodeMetrics implements NodeObserver {

	private final MeterRegistry registry;

	/** Peers with meters of their own; past {@link #MAX_PEER_TAGS}, new ones count as "other". */
	private final Map<String, Boolean> taggedPeers = new ConcurrentHashMap<>();

	/**
	 * Distinct peer tags at most: a peer (with the cookie) that connects under ever new names
	 * must not grow the registry, and the scrape, without bound.
	 */
	static final int MAX_PEER_TAGS = 256;

	private final Map<MeterKey, Meter> meters = new ConcurrentHashMap<>();

	private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();

	private final LongAdder closedMessagesIn = new LongAdder();

	private final LongAdder closedMessagesOut = new LongAdder();

	private final LongAdder closedBytesIn = new LongAdder();

	private final LongAdder closedBytesOut = new LongAdder();

	/**
	 * @param registry where the meters go
	 */
	public ErlangNodeMetrics(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry");
	}

	private String peerTag(String node) {
		if (this.taggedPeers.containsKey(node)) {
			return node;
		}
		if (this.taggedPeers.size() < MAX_PEER_TAGS) {
			this.taggedPeers.putIfAbsent(node, Boolean.TRUE);
			return node;
		}
		return "other";
	}

	@Override
	public void connectionUp(String node, boolean hidden) {
		counter("erlang.node.connects", "Connections established with other nodes", "peer", peerTag(node)).increment();
	}

	@Override
	public void connectionDown(ErlangNode.ConnectionInfo last, DisconnectReason reason) {
		this.closedMessagesIn.add(last.messagesIn());
		this.closedMessagesOut.add(last.messagesOut());
		this.closedBytesIn.add(last.bytesIn());
		this.closedBytesOut.add(last.bytesOut());
		counter("erlang.node.disconnects", "Connections to other nodes that closed", "peer", peerTag(last.node()), "reason",
				reason.kind().tag())
			.increment();
	}

	@Override
	public void tickTimeout(String node) {
		counter("erlang.node.tick.timeouts", "Peers declared down for silence over net_ticktime", "peer", peerTag(node))
			.increment();
	}

	@Override
	public void sendDropped(String node, int count) {
		counter("erlang.node.sends.dropped",
				"Messages and signals to a node dropped before reaching its connection (it could not be set up, or too many waited for it)",
				"peer", peerTag(node))
			.increment(count);
	}

	@Override
	public void malformedFrame(String node, String reason) {
		counter("erlang.node.frames.malformed", "Frames rejected as malformed (the connection is closed)", "peer",
				peerTag(node))
			.increment();
	}

	@Override
	public void rpcServed(String module, String function, int arity, RpcOutcome outcome, long nanos) {
		timer("erlang.rpc.server", "Java functions run for Erlang callers", "module", module, "function", function,
				"outcome", outcome.tag())
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void rpcCalled(String node, String module, String function, int arity, Throwable failure, long nanos) {
		timer("erlang.rpc.client", "erpc calls made on other nodes", "node", node, "module", module, "function",
				function, "outcome", callOutcome(failure))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void mailboxRegistered(String name, Mailbox mailbox) {
		this.mailboxes.put(name, mailbox);
		this.meters.computeIfAbsent(new MeterKey("erlang.process.mailbox.size", List.of("process", name)),
				(key) -> Gauge.builder(key.name(), this.mailboxes, (boxes) -> depth(boxes.get(name)))
					.description("Messages waiting in the mailbox of a registered process")
					.tag("process", name)
					.register(this.registry));
		this.meters.computeIfAbsent(new MeterKey("erlang.process.messages.dropped", List.of("process", name)),
				(key) -> FunctionCounter.builder(key.name(), this.mailboxes, (boxes) -> dropped(boxes.get(name)))
					.description("Messages a registered process's bounded mailbox dropped because it was full")
					.tag("process", name)
					.register(this.registry));
	}

	@Override
	public void messageHandled(String process, MessageKind kind, Result outcome, long nanos) {
		timer("erlang.process.handling", "Messages handled by registered processes", "process", process, "kind",
				kind.tag(), "outcome", outcome.tag())
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void published(String scope, int recipients) {
		counter("erlang.pg.publishes", "Messages published to pg groups", "scope", scope).increment();
	}

	@Override
	public void delivered(String scope) {
		counter("erlang.pg.deliveries", "Published messages delivered to local subscribers", "scope", scope)
			.increment();
	}

	@Override
	public void stateOperation(String backend, String operation, Result outcome, long nanos) {
		timer("erlang.state.operations", "Operations on shared state", "backend", backend, "operation", operation,
				"outcome", outcome.tag())
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	long closedMessagesIn() {
		return this.closedMessagesIn.sum();
	}

	long closedMessagesOut() {
		return this.closedMessagesOut.sum();
	}

	long closedBytesIn() {
		return this.closedBytesIn.sum();
	}

	long closedBytesOut() {
		return this.closedBytesOut.sum();
	}

	private Counter counter(String name, String description, String... tags) {
		return meter(name, tags, (key) -> Counter.builder(name).description(description).tags(tags).register(this.registry));
	}

	private Timer timer(String name, String description, String... tags) {
		return meter(name, tags, (key) -> Timer.builder(name).description(description).tags(tags).register(this.registry));
	}

	@SuppressWarnings("unchecked")
	private <M extends Meter> M meter(String name, String[] tags, Function<MeterKey, M> create) {
		return (M) this.meters.computeIfAbsent(new MeterKey(name, List.of(tags)), create);
	}

	private static double dropped(Mailbox mailbox) {
		return (mailbox != null) ? mailbox.droppedMessages() : 0;
	}

	private static double depth(Mailbox mailbox) {
		return (mailbox != null && mailbox.isAlive()) ? mailbox.queueSize() : 0;
	}

	static String callOutcome(Throwable failure) {
		if (failure == null) {
			return "return";
		}
		if (failure instanceof ErlangRemoteException remote) {
			return remote.getErlangClass().atomValue();
		}
		if (failure instanceof ErlangTimeoutException) {
			return "timeout";
		}
		if (failure instanceof ErlangNodeDownException) {
			return "nodedown";
		}
		if (failure instanceof ErlangNoProcessException) {
			return "noproc";
		}
		return "error";
	}

	private record MeterKey(String name, List<String> tags) {
	}

}
