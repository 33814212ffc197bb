package io.github.erlangspring.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.erlangspring.autoconfigure.actuate.ErlangEndpoint.NodeDescriptor;
import io.github.erlangspring.autoconfigure.actuate.ErlangEndpoint.PeerDescriptor;
import io.github.erlangspring.autoconfigure.actuate.ErlangEndpoint.PgScopeDescriptor;
import io.github.erlangspring.autoconfigure.actuate.ErlangEndpoint.ProcessDescriptor;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.pubsub.PubSubScopes;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code erlang} endpoint describes the running node as a real Erlang peer sees it: peers,
 * registered processes with mailbox depth, exposed functions, pg groups, and never the cookie.
 */
class ErlangEndpointTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@Test
	void describesNodePeersProcessesFunctionsAndPgGroups() {
		ErlangPeer peer = ObservedApp.peer(this.erlang, null).start();
		String name = ErlangPeer.uniqueAlive("esb_ep") + "@127.0.0.1";
		String missing = ErlangPeer.uniqueAlive("esb_absent") + "@127.0.0.1";
		String scope = "esb_obs_pg";
		try (ConfigurableApplicationContext context = ObservedApp.start(name, peer,
				peer.nodeName() + "," + missing, Map.of())) {
			ErlangNode node = context.getBean(ErlangNode.class);
			// Erlang's pg does not discover hidden nodes: its scope must be there when ours starts
			await().atMost(WAIT).until(() -> node.connectedNodes().contains(peer.nodeName()));
			peer.eval("{ok, _} = pg:start(" + scope + "), ok");
			peer.eval("[ok = pg:join(" + scope + ", orders, spawn(fun() -> receive stop -> ok end end)) "
					+ "|| _ <- [1, 2]], ok = pg:join(" + scope + ", <<\"news\">>, spawn(fun() -> receive stop -> ok end end))");
			try (PubSubScopes scopes = PubSubScopes.start(node, context.getBean(ErlangConverter.class), scope,
					List.of())) {
				ErlangEndpoint endpoint = new ErlangEndpoint(node, io.github.erlangspring.node.EpmdMode.AUTO,
						List.of(peer.nodeName(), missing),
						context.getBean(io.github.erlangspring.endpoint.ErlangEndpointRegistry.class), scopes);
				await().atMost(WAIT).until(() -> endpoint.node().pg().get(0).groups().size() == 2);

				NodeDescriptor described = endpoint.node();
				assertThat(described.name()).isEqualTo(name);
				assertThat(described.creation()).isEqualTo(node.creation());
				assertThat(described.running()).isTrue();
				assertThat(described.accepting()).isTrue();
				assertThat(described.port()).isEqualTo(node.port());
				assertThat(described.epmd().mode()).isEqualTo("auto");
				assertThat(described.epmd().port()).isEqualTo(node.epmdPort());
				assertThat(described.epmd().embedded()).isEqualTo(node.runsEmbeddedEpmd());

				PeerDescriptor connected = described.peers().stream()
					.filter((p) -> p.node().equals(peer.nodeName()))
					.findFirst()
					.orElseThrow();
				assertThat(connected.state()).isEqualTo("connected");
				assertThat(connected.expected()).isTrue();
				assertThat(connected.hidden()).isFalse();
				assertThat(Duration.parse(connected.uptime())).isPositive();
				assertThat(connected.messagesIn()).isPositive();
				assertThat(connected.bytesOut()).isPositive();
				PeerDescriptor absent = described.peers().stream()
					.filter((p) -> p.node().equals(missing))
					.findFirst()
					.orElseThrow();
				assertThat(absent.state()).isEqualTo("disconnected");
				assertThat(absent.uptime()).isNull();

				assertThat(described.processes()).contains(new ProcessDescriptor("obs_counter", "endpoint", 0),
						new ProcessDescriptor("obs_gate", "endpoint", 0),
						new ProcessDescriptor(scope, "process", null));
				assertThat(described.rpc()).containsEntry("obs", List.of("echo/1", "fail/1"));

				PgScopeDescriptor pg = described.pg().get(0);
				assertThat(pg.scope()).isEqualTo(scope);
				assertThat(pg.running()).isTrue();
				assertThat(pg.peerScopes()).isEqualTo(1);
				assertThat(pg.groups()).containsExactly(new ErlangEndpoint.PgGroupDescriptor("<<\"news\">>", 1, 0),
						new ErlangEndpoint.PgGroupDescriptor("orders", 2, 0));

				assertThat(described.toString()).doesNotContain(peer.cookie());
			}
		}
	}

	@Test
	void isAutoConfiguredWhenExposed() {
		ErlangPeer peer = ObservedApp.peer(this.erlang, null).start();
		String name = ErlangPeer.uniqueAlive("esb_ep") + "@127.0.0.1";
		try (ConfigurableApplicationContext context = ObservedApp.start(name, peer, peer.nodeName(), Map.of())) {
			ErlangEndpoint endpoint = context.getBean(ErlangEndpoint.class);
			assertThat(endpoint.node().name()).isEqualTo(name);
			assertThat(endpoint.node().pg()).extracting(PgScopeDescriptor::scope).containsExactly("pg");
		}
	}

}
