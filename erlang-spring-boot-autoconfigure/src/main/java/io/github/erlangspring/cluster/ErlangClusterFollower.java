package io.github.erlangspring.cluster;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeName;
import io.github.erlangspring.node.Threads;

import org.springframework.context.SmartLifecycle;

/**
 * Makes a (hidden) Java node follow the Erlang cluster it is connected to, as {@code connect_all}
 * makes a visible Erlang node do: every {@code interval} it asks each connected node which nodes it
 * is connected to ({@code erlang:nodes(connected)}) and connects to those it is not connected to
 * yet, so that a cluster named by one seed ({@code erlang.connect}) is reached whole, nodes that
 * join later are connected within an interval, and other Java nodes of the cluster (hidden, so
 * listed only as connected) are found too. Nodes that leave are simply no longer listed. With a
 * DNS seed ({@code alive@host}, as a Kubernetes headless service gives), every address the host
 * name resolves to is a node {@code alive@address}, resolved again each interval.
 */
public class ErlangClusterFollower implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ErlangClusterFollower.class);

	private static final OtpErlangList CONNECTED = new OtpErlangList(new OtpErlangAtom("connected"));

	private final ErlangNode node;

	private final boolean followConnected;

	private final List<NodeName> dnsSeeds;

	private final Duration interval;

	private final Resolver resolver;

	private final Set<String> connecting = ConcurrentHashMap.newKeySet();

	private ScheduledExecutorService scheduler;

	private ExecutorService connector;

	private volatile boolean running;

	/**
	 * @param node the node that follows
	 * @param followConnected whether to connect to the nodes the connected nodes are connected to
	 * @param dnsSeeds node names {@code alive@host} whose host name lists nodes in DNS
	 * @param interval time between two rounds
	 */
	public ErlangClusterFollower(ErlangNode node, boolean followConnected, List<String> dnsSeeds, Duration interval) {
		this(node, followConnected, dnsSeeds, interval, InetAddress::getAllByName);
	}

	ErlangClusterFollower(ErlangNode node, boolean followConnected, List<String> dnsSeeds, Duration interval,
			Resolver resolver) {
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("the cluster follow interval must be positive, not " + interval);
		}
		this.node = node;
		this.followConnected = followConnected;
		this.dnsSeeds = dnsSeeds.stream().map(NodeName::parse).toList();
		this.interval = interval;
		this.resolver = resolver;
	}

	@Override
	public synchronized void start() {
		if (this.running || (!this.followConnected && this.dnsSeeds.isEmpty())) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.factory("erlang-cluster", false));
		this.connector = Executors.newFixedThreadPool(2, Threads.factory("erlang-cluster-connect", false));
		this.running = true;
		this.scheduler.scheduleWithFixedDelay(this::round, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.connector.shutdownNow();
			this.scheduler = null;
			this.connector = null;
		}
		this.connecting.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ErlangEndpointRegistry.PHASE + 1;
	}

	/** One round: find the nodes of the cluster and connect to those not connected yet. */
	void round() {
		try {
			Set<String> connected = this.node.connectedNodes();
			Set<String> wanted = new TreeSet<>(discover(connected));
			wanted.removeAll(connected);
			wanted.remove(this.node.name());
			for (String peer : wanted) {
				connect(peer);
			}
		}
		catch (RuntimeException ex) {
			// one failed round must not end the following
			logger.warn("Following the Erlang cluster failed this round: {}", ex.toString());
		}
	}

	private Set<String> discover(Set<String> connected) {
		Set<String> found = new TreeSet<>();
		if (this.followConnected) {
			Map<String, CompletableFuture<OtpErlangObject>> answers = new java.util.LinkedHashMap<>();
			for (String peer : connected) {
				answers.put(peer, this.node.rpc(peer, "erlang", "nodes", CONNECTED, this.interval));
			}
			answers.forEach((peer, answer) -> found.addAll(nodesIn(peer, answer)));
		}
		for (NodeName seed : this.dnsSeeds) {
			found.addAll(resolve(seed));
		}
		return found;
	}

	private static List<String> nodesIn(String peer, CompletableFuture<OtpErlangObject> answer) {
		try {
			OtpErlangObject nodes = answer.get();
			List<String> names = new ArrayList<>();
			if (nodes instanceof OtpErlangList list) {
				for (OtpErlangObject element : list) {
					if (element instanceof OtpErlangAtom atom) {
						names.add(atom.atomValue());
					}
				}
			}
			return names;
		}
		catch (Exception ex) {
			// a node that does not answer erlang:nodes/1 (another Java node: it serves no erlang
			// module) or went down lists nothing
			logger.trace("{} listed no nodes: {}", peer, ex.toString());
			return List.of();
		}
	}

	private List<String> resolve(NodeName seed) {
		boolean ipv6 = this.node.name().contains(":");
		List<String> names = new ArrayList<>();
		try {
			for (InetAddress address : this.resolver.resolve(seed.host())) {
				if ((address instanceof Inet6Address) == ipv6) {
					names.add(seed.alive() + "@" + address.getHostAddress());
				}
			}
		}
		catch (UnknownHostException ex) {
			logger.debug("DNS lists no Erlang nodes for {}: {}", seed, ex.toString());
		}
		return names;
	}

	private void connect(String peer) {
		if (!this.connecting.add(peer)) {
			return;
		}
		try {
			this.connector.execute(() -> {
				try {
					if (this.running && this.node.ping(peer, this.interval.multipliedBy(5))) {
						logger.info("Following the Erlang cluster: connected to {}", peer);
					}
				}
				finally {
					this.connecting.remove(peer);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.connecting.remove(peer);
		}
	}

	/** Resolves a host name to its addresses. */
	@FunctionalInterface
	interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

	}

}
