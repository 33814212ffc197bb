package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import io.github.erlangspring.annotation.ErlangSubscribe;
import io.github.erlangspring.endpoint.ErlangSubscriberRegistry;
import io.github.erlangspring.pubsub.PubSubMessage;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.pubsub.Subscription;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * Two Spring applications (Java nodes) and two Erlang nodes using plain pg share topics:
 * {@code @ErlangSubscribe} beans are pg members Erlang publishes to, and closing an application
 * removes its members everywhere.
 */
class ErlangPubSubEndToEndTests {

	private static final Duration CONVERGE = Duration.ofSeconds(10);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer e1;

	static ErlangPeer e2;

	static ConfigurableApplicationContext app1;

	static ConfigurableApplicationContext app2;

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		e1 = erlang.peer().args("-kernel", "start_pg", "true").start();
		e2 = erlang.peer().cookie(e1.cookie()).args("-kernel", "start_pg", "true").start();
		assertThat(e1.eval("net_adm:ping('" + e2.nodeName() + "')")).hasToString("pong");
		e1.eval("{ok, _} = pg:start(esb_ops)");
		String node1 = ErlangPeer.uniqueAlive("esb_app") + "@127.0.0.1";
		String node2 = ErlangPeer.uniqueAlive("esb_app") + "@127.0.0.1";
		app1 = start(node1, List.of(e1.nodeName(), e2.nodeName()), Publisher.class);
		app2 = start(node2, List.of(e1.nodeName(), e2.nodeName(), node1), Orders.class);
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext app : new ConfigurableApplicationContext[] { app1, app2 }) {
			if (app != null) {
				app.close();
			}
		}
	}

	static ConfigurableApplicationContext start(String node, List<String> connect, Class<?> bean) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.registerBean(bean);
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("erlang.node", node, "erlang.cookie", e1.cookie(),
					"erlang.connect", String.join(",", connect), "erlang.pubsub.scopes", "esb_ops")));
		context.register(AutoConfig.class);
		context.refresh();
		return context;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ErlangAutoConfiguration.class, ErlangPubSubAutoConfiguration.class })
	static class AutoConfig {

	}

	/** What every node (Erlang's two, and the applications running) sees as the members of a topic. */
	private static Map<String, List<OtpErlangPid>> views(String topic) {
		Map<String, List<OtpErlangPid>> views = new java.util.LinkedHashMap<>();
		for (ErlangPeer peer : List.of(e1, e2)) {
			List<OtpErlangPid> members = new ArrayList<>();
			for (OtpErlangObject pid : ((OtpErlangList) peer
				.eval("esb_pubsub_test:members(pg, <<\"" + topic + "\">>)")).elements()) {
				members.add((OtpErlangPid) pid);
			}
			views.put(peer.nodeName(), members);
		}
		for (ConfigurableApplicationContext app : List.of(app1, app2)) {
			if (app.isActive()) {
				views.put(nodeName(app), app.getBean(PubSubOperations.class).members(topic));
			}
		}
		return views;
	}

	private static void converge(String topic, List<OtpErlangPid> expected) {
		await().atMost(CONVERGE).untilAsserted(() -> views(topic).forEach((node, members) -> assertThat(members)
			.as("members of " + topic + " seen from " + node)
			.containsExactlyInAnyOrderElementsOf(expected)));
	}

	private static String nodeName(ConfigurableApplicationContext app) {
		return app.getBean(io.github.erlangspring.node.ErlangNode.class).name();
	}

	private static List<OtpErlangPid> subscriberPids(ConfigurableApplicationContext app) {
		return app.getBean(ErlangSubscriberRegistry.class).getSubscriptions().stream().map(Subscription::pid).toList();
	}

	@Test
	void subscriberBeansAreMembersEveryNodeSeesAndReceiveFromErlangAndJava() {
		OtpErlangPid onE1 = (OtpErlangPid) e1.eval("esb_pubsub_test:subscriber(pg, <<\"orders\">>, orders_e1)");
		List<OtpErlangPid> expected = new ArrayList<>(List.of(onE1));
		expected.add(app2.getBean(ErlangSubscriberRegistry.class).getSubscriptions().stream()
			.filter((s) -> "orders".equals(s.topic())).findFirst().orElseThrow().pid());
		converge("orders", expected);

		assertThat(e2.eval("esb_pubsub_test:publish(pg, <<\"orders\">>, #{id => 1, item => <<\"tea\">>})"))
			.isEqualTo(new OtpErlangLong(2));
		assertThat(app1.getBean(PubSubOperations.class).publish("orders", new Order(2, "cake"))).isEqualTo(2);
		Orders orders = app2.getBean(Orders.class);
		await().atMost(CONVERGE)
			.untilAsserted(() -> assertThat(orders.placed).containsExactlyInAnyOrder(new Order(1, "tea"), new Order(2, "cake")));
		assertThat(e1.eval("length(esb_pubsub_test:await(orders_e1, 2, 5000))")).isEqualTo(new OtpErlangLong(2));

		// another scope: Erlang's esb_ops on e1 sees app2's subscriber there, not in pg
		await().atMost(CONVERGE).untilAsserted(() -> assertThat(e1.eval("length(pg:get_members(esb_ops, <<\"audit\">>))"))
			.isEqualTo(new OtpErlangLong(1)));
		assertThat(e1.eval("esb_pubsub_test:publish(esb_ops, <<\"audit\">>, <<\"checked\">>)")).isEqualTo(new OtpErlangLong(1));
		await().atMost(CONVERGE).untilAsserted(() -> assertThat(orders.audits).containsExactly("audit=checked"));
		assertThat(e1.eval("pg:get_members(pg, <<\"audit\">>)")).isEqualTo(new OtpErlangList());
	}

	@Test
	void closingASubscribersApplicationRemovesItsMembersEverywhere() {
		String node3 = ErlangPeer.uniqueAlive("esb_app") + "@127.0.0.1";
		// pg's views are not transitive: the application is connected to every node
		ConfigurableApplicationContext app3 = start(node3, List.of(e1.nodeName(), e2.nodeName(), nodeName(app1),
				nodeName(app2)), Leaving.class);
		List<OtpErlangPid> leaving;
		try {
			leaving = subscriberPids(app3);
			converge("leaving", leaving);
			assertThat(e1.eval("esb_pubsub_test:publish(pg, <<\"leaving\">>, hello)")).isEqualTo(new OtpErlangLong(1));
		}
		finally {
			app3.close();
		}
		converge("leaving", List.of());
		assertThat(app1.getBean(PubSubOperations.class).publish("leaving", "anyone?")).isZero();
	}

	public record Order(long id, String item) {
	}

	static class Orders {

		final List<Order> placed = new CopyOnWriteArrayList<>();

		final List<String> audits = new CopyOnWriteArrayList<>();

		@ErlangSubscribe("orders")
		void placed(Order order) {
			this.placed.add(order);
		}

		@ErlangSubscribe(value = "audit", scope = "esb_ops")
		void audit(PubSubMessage message) {
			this.audits.add(message.topic() + "=" + message.payload());
		}

	}

	static class Leaving {

		@ErlangSubscribe("leaving")
		void message(Object message) {
		}

	}

	static class Publisher {

	}

}
