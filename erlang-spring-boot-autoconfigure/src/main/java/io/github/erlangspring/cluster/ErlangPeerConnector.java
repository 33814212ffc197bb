package io.github.erlangspring.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeListener;
import io.github.erlangspring.node.Threads;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps this node connected to a fixed set of peers ({@code erlang.connect}): connects at
 * start-up, and after a peer goes down tries again with exponential backoff (from
 * {@code initialBackoff}, doubling up to {@code maxBackoff}) until it is back. Start-up does not
 * wait for the peers.
 */
public class ErlangPeerConnector implements SmartLifecycle, NodeListener {

	private static final Logger logger = LoggerFactory.getLogger(ErlangPeerConnector.class);

	private final ErlangNode node;

	private final List<String> peers;

	private final Duration initialBackoff;

	private final Duration maxBackoff;

	private final Map<String, Long> backoffMillis = new ConcurrentHashMap<>();

	private ScheduledExecutorService scheduler;

	private volatile boolean running;

	public ErlangPeerConnector(ErlangNode node, List<String> peers, Duration initialBackoff, Duration maxBackoff) {
		this.node = node;
		this.peers = List.copyOf(peers);
		this.initialBackoff = initialBackoff;
		this.maxBackoff = maxBackoff;
	}

	/** @return the peers kept connected */
	public List<String> getPeers() {
		return this.peers;
	}

	@Override
	public void start() {
		this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.factory("erlang-peer-connector", false));
		this.running = true;
		this.node.addNodeListener(this);
		for (String peer : this.peers) {
			this.backoffMillis.put(peer, this.initialBackoff.toMillis());
			this.scheduler.execute(() -> attempt(peer));
		}
	}

	private void attempt(String peer) {
		if (!this.running || this.node.connectedNodes().contains(peer)) {
			return;
		}
		if (this.node.ping(peer, Duration.ofSeconds(10))) {
			this.backoffMillis.put(peer, this.initialBackoff.toMillis());
			return;
		}
		long delay = this.backoffMillis.getOrDefault(peer, this.initialBackoff.toMillis());
		this.backoffMillis.put(peer, Math.min(delay * 2, this.maxBackoff.toMillis()));
		logger.debug("Erlang peer {} unreachable; retrying in {} ms", peer, delay);
		if (this.running) {
			this.scheduler.schedule(() -> attempt(peer), delay, TimeUnit.MILLISECONDS);
		}
	}

	@Override
	public void nodeDown(String node, DisconnectReason reason) {
		if (this.running && this.peers.contains(node)) {
			logger.warn("Lost Erlang peer {} ({}); reconnecting", node, reason);
			this.backoffMillis.put(node, this.initialBackoff.toMillis());
			try {
				this.scheduler.schedule(() -> attempt(node), this.initialBackoff.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// stopping
			}
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.node.removeNodeListener(this);
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ErlangEndpointRegistry.PHASE + 1;
	}

}
