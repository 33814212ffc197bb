package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangPid;
import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangSubscribe;
import io.github.erlangspring.annotation.HandleInfo;
import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.endpoint.ErlangSubscriberRegistry;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.pubsub.PgScope;
import io.github.erlangspring.pubsub.PubSubMessage;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.pubsub.PubSubScopes;
import io.github.erlangspring.pubsub.PubSubTemplate;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ErlangPubSubAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class, ErlangPubSubAutoConfiguration.class));

	@BeforeAll
	static void epmd() {
		ErlangRuntime.ensureEpmd();
	}

	private static String[] nodeProperties() {
		return new String[] { "erlang.node=" + ErlangPeer.uniqueAlive("esb_psac") + "@127.0.0.1",
				"erlang.cookie=" + ErlangPeer.randomCookie() };
	}

	@Test
	void withoutANodeThereIsNoPubSub() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(PubSubScopes.class)
			.doesNotHaveBean(PubSubOperations.class)
			.doesNotHaveBean(ErlangSubscriberRegistry.class));
	}

	@Test
	void aNodeRunsTheDefaultScopeWithATemplate() {
		this.runner.withPropertyValues(nodeProperties()).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ErlangSubscriberRegistry.class);
			PubSubTemplate template = context.getBean(PubSubTemplate.class);
			assertThat(template.scope()).isEqualTo("pg");
			assertThat(template.getPgScope().isRunning()).isTrue();
			assertThat(context.getBean(ErlangNode.class).registeredNames()).contains("pg");
			assertThat(context.getBean(PubSubScopes.class).template()).isSameAs(template);
		});
	}

	@Test
	void scopesComeFromProperties() {
		this.runner.withPropertyValues(nodeProperties())
			.withPropertyValues("erlang.pubsub.scope=esb_main", "erlang.pubsub.scopes=esb_a,esb_b,esb_main")
			.run((context) -> {
				PubSubScopes scopes = context.getBean(PubSubScopes.class);
				assertThat(scopes.names()).containsExactly("esb_main", "esb_a", "esb_b");
				assertThat(context.getBean(PubSubOperations.class).scope()).isEqualTo("esb_main");
				assertThat(scopes.template("esb_b").scope()).isEqualTo("esb_b");
				assertThat(context.getBean(ErlangNode.class).registeredNames()).contains("esb_main", "esb_a", "esb_b");
			});
	}

	@Test
	void closingTheContextStopsTheScopes() {
		PgScope[] scope = new PgScope[1];
		this.runner.withPropertyValues(nodeProperties())
			.run((context) -> scope[0] = context.getBean(PubSubTemplate.class).getPgScope());
		assertThat(scope[0].isRunning()).isFalse();
	}

	@Test
	void disabledConfiguresNothingAndSubscriberMethodsFailTheStart() {
		this.runner.withPropertyValues(nodeProperties())
			.withPropertyValues("erlang.pubsub.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PubSubScopes.class));
		this.runner.withPropertyValues(nodeProperties())
			.withPropertyValues("erlang.pubsub.enabled=false")
			.withBean(Subscriber.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("@ErlangSubscribe needs publish/subscribe"));
	}

	@Test
	void userBeansWin() {
		this.runner.withPropertyValues(nodeProperties())
			.withUserConfiguration(OwnTemplate.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(PubSubOperations.class);
				assertThat(context.getBean(PubSubOperations.class)).isSameAs(context.getBean("ownTemplate"));
				assertThat(context.getBean(PubSubOperations.class).scope()).isEqualTo("esb_own");
			});
	}

	@Test
	void subscriberMethodsSubscribeWhileTheContextRuns() {
		this.runner.withPropertyValues(nodeProperties())
			.withPropertyValues("erlang.pubsub.scopes=esb_ops", "test.topic=resolved")
			.withBean(Subscriber.class)
			.run((context) -> {
				ErlangSubscriberRegistry registry = context.getBean(ErlangSubscriberRegistry.class);
				assertThat(registry.getSubscriptions()).hasSize(3);
				PubSubTemplate template = context.getBean(PubSubTemplate.class);
				assertThat(template.localMembers("orders")).hasSize(1);
				assertThat(template.localMembers("resolved")).hasSize(1);
				PubSubTemplate ops = context.getBean(PubSubScopes.class).template("esb_ops");
				assertThat(ops.localMembers("audit")).hasSize(1);
				assertThat(template.publish("orders", new Order(7, "tea"))).isEqualTo(1);
				assertThat(ops.publish("audit", "who")).isEqualTo(1);
				Subscriber subscriber = context.getBean(Subscriber.class);
				await().atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(subscriber.seen).containsExactlyInAnyOrder(new Order(7, "tea"),
							"audit:who"));
				context.stop();
				assertThat(registry.getSubscriptions()).isEmpty();
				assertThat(template.localMembers("orders")).isEmpty();
			});
	}

	@Test
	void anErlangProcessJoinedToATopicTakesItsMessagesInAHandleInfoMethod() {
		this.runner.withPropertyValues(nodeProperties()).withBean(Listening.class).run((context) -> {
			PubSubTemplate template = context.getBean(PubSubTemplate.class);
			OtpErlangPid process = context.getBean(ErlangEndpointRegistry.class).getMailbox("esb_listening").self();
			template.join("events", process);
			assertThat(template.members("events")).containsExactly(process);
			assertThat(template.publish("events", "started")).isEqualTo(1);
			Listening listening = context.getBean(Listening.class);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(listening.seen).containsExactly("events:started"));
		});
	}

	@Test
	void invalidSubscriberMethodsFailTheStart() {
		this.runner.withPropertyValues(nodeProperties())
			.withBean(TwoParameters.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("takes 2 parameters"));
		this.runner.withPropertyValues(nodeProperties())
			.withBean(UnknownScope.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("No pg scope 'nope'"));
	}

	public record Order(long id, String item) {
	}

	static class Subscriber {

		final List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

		@ErlangSubscribe({ "orders", "${test.topic}" })
		void order(Order order) {
			this.seen.add(order);
		}

		@ErlangSubscribe(value = "audit", scope = "esb_ops")
		void audit(PubSubMessage message) {
			this.seen.add(message.topic() + ":" + message.payload());
		}

	}

	@ErlangProcess("esb_listening")
	static class Listening {

		final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

		@HandleInfo("pubsub")
		void pubsub(String topic, String message) {
			this.seen.add(topic + ":" + message);
		}

	}

	static class TwoParameters {

		@ErlangSubscribe("x")
		void both(String a, String b) {
		}

	}

	static class UnknownScope {

		@ErlangSubscribe(value = "x", scope = "nope")
		void handle(Object message) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTemplate {

		// the node starts with the context, after the beans exist: scopes are created, then started with it
		@Bean
		PubSubScopes ownScopes(ErlangNode node) {
			return PubSubScopes.create(node, new io.github.erlangspring.convert.DefaultErlangConverter(), "esb_own",
					java.util.List.of());
		}

		@Bean
		PubSubTemplate ownTemplate(PubSubScopes ownScopes) {
			return ownScopes.template();
		}

	}

}
