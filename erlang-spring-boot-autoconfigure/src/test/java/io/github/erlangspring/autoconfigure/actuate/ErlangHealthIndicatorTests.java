package io.github.erlangspring.autoconfigure.actuate;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code erlang} health indicator against real Erlang peers: up while the expected peers
 * are connected, down when one is killed, up again when it is back, out of service while the
 * node starts and stops.
 */
class ErlangHealthIndicatorTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@Test
	void downWhileAnExpectedPeerIsGoneAndUpWhenItReturns() {
		ErlangPeer peer = ObservedApp.peer(this.erlang, null).start();
		ErlangPeer other = ObservedApp.peer(this.erlang, peer.cookie()).start();
		String node = ErlangPeer.uniqueAlive("esb_health") + "@127.0.0.1";
		try (ConfigurableApplicationContext context = ObservedApp.start(node, peer,
				peer.nodeName() + "," + other.nodeName(), Map.of())) {
			HealthIndicator health = context.getBean("erlangHealthIndicator", HealthIndicator.class);
			await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.UP));
			Health up = health.health();
			assertThat(up.getDetails()).containsEntry("node", node).containsEntry("state", "serving");
			assertThat(peers(up)).containsOnlyKeys(peer.nodeName(), other.nodeName());
			assertThat(peer(up, other.nodeName())).containsEntry("state", "connected")
				.containsEntry("expected", true)
				.containsEntry("hidden", false)
				.containsKeys("connectedAt", "uptime");

			other.kill();
			await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.DOWN));
			Health down = health.health();
			assertThat(peer(down, other.nodeName())).containsEntry("state", "disconnected");
			assertThat(peer(down, peer.nodeName())).containsEntry("state", "connected");
			assertThat(down.toString()).doesNotContain(peer.cookie());

			ErlangPeer back = other.restart();
			await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.UP));
			assertThat(peer(health.health(), back.nodeName())).containsEntry("state", "connected");

			// the node stops with the context (and starts again with it)
			context.stop();
			assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.health().getDetails()).containsEntry("state", "stopped");
			back.close();
		}
	}

	@Test
	void outOfServiceWhileStartingAndOnceStopped() throws IOException {
		ErlangRuntime.ensureEpmd();
		String name = ErlangPeer.uniqueAlive("esb_health") + "@127.0.0.1";
		try (ErlangNode node = ErlangNode
			.start(NodeConfig.builder(name).cookie(ErlangPeer.randomCookie()).deferAccept(true).build())) {
			ErlangHealthIndicator health = new ErlangHealthIndicator(node, List.of(), List.of());
			assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.health().getDetails()).containsEntry("state", "starting").containsEntry("node", name);
			node.startAccepting();
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			node.close(Duration.ZERO);
			assertThat(health.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
			assertThat(health.health().getDetails()).containsEntry("state", "stopped");
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> peers(Health health) {
		return (Map<String, Object>) health.getDetails().get("peers");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> peer(Health health, String name) {
		return (Map<String, Object>) peers(health).get(name);
	}

}
