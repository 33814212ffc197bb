package io.github.erlangspring.autoconfigure.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.erlangspring.node.ErlangNode;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.Lifecycle;

/**
 * Health of the Erlang node: {@code UP} when the node is registered and serving and every
 * expected peer ({@code erlang.connect}) is connected; {@code DOWN} when an expected peer is not
 * connected; {@code OUT_OF_SERVICE} while the application starts (the node does not yet let peers
 * in) or stops, and once the node is stopped. The details name the node and, for each expected
 * or connected peer, its state, visibility, connection time and uptime. The cookie is never
 * shown.
 */
public class ErlangHealthIndicator extends AbstractHealthIndicator {

	private final ErlangNode node;

	private final Collection<String> expectedPeers;

	private final List<? extends Lifecycle> components;

	/**
	 * @param node the node
	 * @param expectedPeers the peers the node must be connected to
	 * @param components what serves peers on the node (process endpoints, the peer connector):
	 * the node is out of service while one of them is not running
	 */
	public ErlangHealthIndicator(ErlangNode node, Collection<String> expectedPeers,
			List<? extends Lifecycle> components) {
		super("Erlang node health check failed");
		this.node = node;
		this.expectedPeers = List.copyOf(expectedPeers);
		this.components = List.copyOf(components);
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("node", this.node.name());
		String state = state();
		if (state != null) {
			builder.outOfService().withDetail("state", state);
			return;
		}
		Map<String, ErlangNode.ConnectionInfo> connections = this.node.connections();
		Set<String> peers = new TreeSet<>(this.expectedPeers);
		peers.addAll(connections.keySet());
		Map<String, Object> details = new LinkedHashMap<>();
		boolean allExpectedUp = true;
		long now = System.currentTimeMillis();
		for (String peer : peers) {
			ErlangNode.ConnectionInfo connection = connections.get(peer);
			if (connection == null) {
				allExpectedUp = false;
				details.put(peer, Map.of("state", "disconnected", "expected", true));
			}
			else {
				Map<String, Object> up = new LinkedHashMap<>();
				up.put("state", "connected");
				up.put("expected", this.expectedPeers.contains(peer));
				up.put("hidden", connection.hidden());
				up.put("connectedAt", Instant.ofEpochMilli(connection.connectedAt()).toString());
				up.put("uptime", Duration.ofMillis(Math.max(0, now - connection.connectedAt())).toString());
				details.put(peer, up);
			}
		}
		builder.status(allExpectedUp ? org.springframework.boot.health.contributor.Status.UP
				: org.springframework.boot.health.contributor.Status.DOWN);
		builder.withDetail("state", "serving").withDetail("peers", details);
	}

	/** @return why the node is out of service, or {@code null} when it serves */
	private String state() {
		if (!this.node.isRunning()) {
			return "stopped";
		}
		if (!this.node.isAccepting()) {
			return "starting";
		}
		for (Lifecycle component : this.components) {
			if (!component.isRunning()) {
				return "stopping";
			}
		}
		return null;
	}

}
