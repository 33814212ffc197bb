package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import io.github.erlangspring.annotation.ErlangSubscribe;
import io.github.erlangspring.endpoint.ErlangSubscriberRegistry;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.pubsub.Subscription;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three Erlang nodes in one cluster and two Spring applications, each told about one Erlang node
 * only ({@code erlang.connect}): both follow the cluster, pg membership is complete on every node,
 * a publish from any node reaches every subscriber, and a node that joins later is followed.
 */
class ErlangClusterEndToEndTests {

	/** Generous on a shared 2-core machine: rounds are 200 ms apart. */
	private static final Duration CONVERGE = Duration.ofSeconds(30);

	@RegisterExtension
	final ErlangPeerExtension erlang = new ErlangPeerExtension();

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@AfterEach
	void closeApps() {
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	private ErlangPeer erlangNode(String cookie, ErlangPeer join) {
		ErlangPeer peer = this.erlang.peer().cookie(cookie).args("-kernel", "start_pg", "true").start();
		if (join != null) {
			assertThat(peer.eval("net_adm:ping('" + join.nodeName() + "')")).hasToString("pong");
		}
		return peer;
	}

	private ConfigurableApplicationContext app(String cookie, ErlangPeer seed) {
		ErlangRuntime.ensureEpmd();
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.registerBean(News.class);
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test",
					Map.of("erlang.node", ErlangPeer.uniqueAlive("esb_cl") + "@127.0.0.1", "erlang.cookie", cookie,
							"erlang.connect", seed.nodeName(), "erlang.cluster.interval", "200ms")));
		context.register(AutoConfig.class);
		context.refresh();
		this.apps.add(context);
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ErlangAutoConfiguration.class, ErlangPubSubAutoConfiguration.class })
	static class AutoConfig {

	}

	@Test
	void applicationsSeededWithOneNodeEachSeeTheWholeClustersMembersAndMessages() {
		ErlangPeer e1 = erlangNode(ErlangPeer.randomCookie(), null);
		ErlangPeer e2 = erlangNode(e1.cookie(), e1);
		ErlangPeer e3 = erlangNode(e1.cookie(), e2);
		ConfigurableApplicationContext app1 = app(e1.cookie(), e1);
		ConfigurableApplicationContext app2 = app(e1.cookie(), e3);
		List<ErlangPeer> erlangNodes = new ArrayList<>(List.of(e1, e2, e3));

		List<OtpErlangPid> members = new ArrayList<>();
		for (ErlangPeer peer : erlangNodes) {
			members.add(subscriber(peer));
		}
		members.add(subscriberPid(app1));
		members.add(subscriberPid(app2));
		converge(erlangNodes, members);
		String app1Node = app1.getBean(ErlangNode.class).name();
		assertThat(app2.getBean(ErlangNode.class).connectedNodes()).contains(app1Node, e1.nodeName(), e2.nodeName());

		// a publish from every node reaches every subscriber: 5 publishes, 5 messages each
		for (ErlangPeer peer : erlangNodes) {
			assertThat(peer.eval("esb_pubsub_test:publish(pg, <<\"news\">>, <<\"from " + peer.nodeName() + "\">>)"))
				.isEqualTo(new OtpErlangLong(5));
		}
		assertThat(app1.getBean(PubSubOperations.class).publish("news", "from app1")).isEqualTo(5);
		assertThat(app2.getBean(PubSubOperations.class).publish("news", "from app2")).isEqualTo(5);
		for (ErlangPeer peer : erlangNodes) {
			assertThat(peer.eval("length(esb_pubsub_test:await(news, 5, 10000))")).isEqualTo(new OtpErlangLong(5));
		}
		for (ConfigurableApplicationContext app : List.of(app1, app2)) {
			News news = app.getBean(News.class);
			await().atMost(CONVERGE).untilAsserted(() -> assertThat(news.received).hasSize(5)
				.contains("from app1", "from app2", "from " + e3.nodeName()));
		}

		// a node that joins the cluster later is followed, and its member seen everywhere
		ErlangPeer late = erlangNode(e1.cookie(), e2);
		erlangNodes.add(late);
		members.add(subscriber(late));
		converge(erlangNodes, members);
		assertThat(app1.getBean(ErlangNode.class).connectedNodes()).contains(late.nodeName());
		assertThat(app1.getBean(PubSubOperations.class).publish("news", "to all six")).isEqualTo(6);
		assertThat(late.eval("[{pubsub, <<\"news\">>, <<\"to all six\">>}] = esb_pubsub_test:await(news, 1, 10000), ok"))
			.hasToString("ok");
	}

	@Test
	void followFalseKeepsToTheNamedNodes() {
		ErlangPeer e1 = erlangNode(ErlangPeer.randomCookie(), null);
		ErlangPeer e2 = erlangNode(e1.cookie(), e1);
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test",
					Map.of("erlang.node", ErlangPeer.uniqueAlive("esb_cl") + "@127.0.0.1", "erlang.cookie",
							e1.cookie(), "erlang.connect", e1.nodeName(), "erlang.cluster.follow", "false")));
		context.register(AutoConfig.class);
		context.refresh();
		this.apps.add(context);
		ErlangNode node = context.getBean(ErlangNode.class);
		await().atMost(CONVERGE).until(() -> node.connectedNodes().contains(e1.nodeName()));
		assertThat(context.getBean(io.github.erlangspring.cluster.ErlangClusterFollower.class).isRunning()).isFalse();
		assertThat(node.connectedNodes()).doesNotContain(e2.nodeName());
	}

	private static OtpErlangPid subscriber(ErlangPeer peer) {
		return (OtpErlangPid) peer.eval("esb_pubsub_test:subscriber(pg, <<\"news\">>, news)");
	}

	private static OtpErlangPid subscriberPid(ConfigurableApplicationContext app) {
		return app.getBean(ErlangSubscriberRegistry.class)
			.getSubscriptions()
			.stream()
			.map(Subscription::pid)
			.findFirst()
			.orElseThrow();
	}

	private void converge(List<ErlangPeer> erlangNodes, List<OtpErlangPid> expected) {
		await().atMost(CONVERGE).untilAsserted(() -> {
			Map<String, List<OtpErlangPid>> views = new LinkedHashMap<>();
			for (ErlangPeer peer : erlangNodes) {
				List<OtpErlangPid> seen = new ArrayList<>();
				for (OtpErlangObject pid : ((OtpErlangList) peer.eval("esb_pubsub_test:members(pg, <<\"news\">>)"))) {
					seen.add((OtpErlangPid) pid);
				}
				views.put(peer.nodeName(), seen);
			}
			for (ConfigurableApplicationContext app : this.apps) {
				views.put(app.getBean(ErlangNode.class).name(), app.getBean(PubSubOperations.class).members("news"));
			}
			views.forEach((node, members) -> assertThat(members).as("members of news seen from " + node)
				.containsExactlyInAnyOrderElementsOf(expected));
		});
	}

	static class News {

		final List<String> received = new CopyOnWriteArrayList<>();

		@ErlangSubscribe("news")
		void news(String message) {
			this.received.add(message);
		}

	}

}
