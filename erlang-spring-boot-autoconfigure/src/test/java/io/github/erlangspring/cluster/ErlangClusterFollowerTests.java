package io.github.erlangspring.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Java node that follows the cluster, against real Erlang nodes: it reaches the whole cluster
 * from one seed, follows a node that joins later, finds other (hidden) Java nodes through the
 * Erlang nodes, and finds nodes through DNS.
 */
class ErlangClusterFollowerTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	/** Generous on a shared 2-core machine; a round takes one interval plus a handshake. */
	private static final Duration FOLLOWED = Duration.ofSeconds(30);

	@RegisterExtension
	final ErlangPeerExtension erlang = new ErlangPeerExtension();

	private final List<AutoCloseable> closing = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
	}

	private List<ErlangPeer> cluster(int size) {
		ErlangPeer first = this.erlang.start();
		List<ErlangPeer> nodes = new ArrayList<>(List.of(first));
		for (int i = 1; i < size; i++) {
			ErlangPeer next = this.erlang.peer().cookie(first.cookie()).start();
			assertThat(next.eval("net_adm:ping('" + first.nodeName() + "')")).hasToString("pong");
			nodes.add(next);
		}
		// connect_all: every Erlang node is connected to every other
		await().atMost(FOLLOWED).until(() -> first.eval("length(nodes())").toString().equals(Integer.toString(size - 1)));
		return nodes;
	}

	private ErlangNode javaNode(String cookie) {
		ErlangRuntime.ensureEpmd();
		try {
			ErlangNode node = ErlangNode
				.start(NodeConfig.builder(ErlangPeer.uniqueAlive("esb_cf") + "@127.0.0.1").cookie(cookie).build());
			this.closing.add(() -> node.close(Duration.ZERO));
			return node;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private ErlangClusterFollower follow(ErlangNode node, boolean connected, List<String> dns,
			ErlangClusterFollower.Resolver resolver) {
		ErlangClusterFollower follower = new ErlangClusterFollower(node, connected, dns, INTERVAL, resolver);
		follower.start();
		this.closing.add(follower::stop);
		return follower;
	}

	private static List<String> names(List<ErlangPeer> peers) {
		return peers.stream().map(ErlangPeer::nodeName).toList();
	}

	@Test
	void oneSeedReachesTheWholeClusterAndANodeThatJoinsLater() {
		List<ErlangPeer> cluster = cluster(3);
		ErlangNode java = javaNode(cluster.get(0).cookie());
		follow(java, true, List.of(), InetAddress::getAllByName);
		assertThat(java.ping(cluster.get(0).nodeName(), Duration.ofSeconds(10))).isTrue();
		await().atMost(FOLLOWED).untilAsserted(() -> assertThat(java.connectedNodes()).containsAll(names(cluster)));

		ErlangPeer late = this.erlang.peer().cookie(cluster.get(0).cookie()).start();
		long joined = System.nanoTime();
		assertThat(late.eval("net_adm:ping('" + cluster.get(2).nodeName() + "')")).hasToString("pong");
		await().atMost(FOLLOWED).untilAsserted(() -> assertThat(java.connectedNodes()).contains(late.nodeName()));
		System.out.printf("cluster follow: a late node was connected %d ms after it joined (interval %d ms)%n",
				Duration.ofNanos(System.nanoTime() - joined).toMillis(), INTERVAL.toMillis());
		// the Java node is hidden: the Erlang nodes list it as connected, not as part of nodes()
		assertThat(late.eval("lists:member('" + java.name() + "', nodes(hidden))")).hasToString("true");
		assertThat(late.eval("lists:member('" + java.name() + "', nodes())")).hasToString("false");
	}

	@Test
	void javaNodesSeededWithDifferentErlangNodesFindEachOther() {
		List<ErlangPeer> cluster = cluster(3);
		ErlangNode first = javaNode(cluster.get(0).cookie());
		ErlangNode second = javaNode(cluster.get(0).cookie());
		follow(first, true, List.of(), InetAddress::getAllByName);
		follow(second, true, List.of(), InetAddress::getAllByName);
		assertThat(first.ping(cluster.get(0).nodeName(), Duration.ofSeconds(10))).isTrue();
		assertThat(second.ping(cluster.get(2).nodeName(), Duration.ofSeconds(10))).isTrue();
		await().atMost(FOLLOWED).untilAsserted(() -> {
			assertThat(first.connectedNodes()).containsAll(names(cluster)).contains(second.name());
			assertThat(second.connectedNodes()).containsAll(names(cluster)).contains(first.name());
		});
	}

	@Test
	void dnsNamesNodesOnEveryAddressOfAHost() {
		ErlangPeer target = this.erlang.start();
		String alive = target.nodeName().substring(0, target.nodeName().indexOf('@'));
		ErlangNode java = javaNode(target.cookie());
		List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
		follow(java, false, List.of(alive + "@erlang.cluster.test"), (host) -> {
			asked.add(host);
			if (!host.equals("erlang.cluster.test")) {
				throw new UnknownHostException(host);
			}
			return new InetAddress[] { InetAddress.getByAddress(host, new byte[] { 127, 0, 0, 1 }),
					InetAddress.getByAddress(host, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }) };
		});
		await().atMost(FOLLOWED).untilAsserted(() -> assertThat(java.connectedNodes()).containsExactly(target.nodeName()));
		await().atMost(FOLLOWED).until(() -> asked.size() >= 3);
		assertThat(asked).containsOnly("erlang.cluster.test");
	}

	@Test
	void withNothingToFollowItDoesNotRun() {
		ErlangNode java = javaNode(ErlangPeer.randomCookie());
		ErlangClusterFollower follower = new ErlangClusterFollower(java, false, List.of(), INTERVAL);
		follower.start();
		assertThat(follower.isRunning()).isFalse();
	}

}
