package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.ErlangSubscribe;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.observation.DefaultErlangClientObservationConvention;
import io.github.erlangspring.observation.ErlangClientContext;
import io.github.erlangspring.observation.ErlangClientObservationConvention;
import io.github.erlangspring.observation.ErlangObservationContext;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.observation.ErlangServerContext;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.micrometer.observation.tck.ObservationContextAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations of Java calling Erlang and of Erlang calling Java, against a real Erlang node:
 * names, key values, outcomes, parents, MDC entries on handler threads, and conventions.
 */
class ErlangObservationTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		peer = erlang.peer().args("-kernel", "start_pg", "true").start();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class, ErlangPubSubAutoConfiguration.class))
			.withUserConfiguration(Observed.class)
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_ob") + "@127.0.0.1",
					"erlang.cookie=" + peer.cookie(), "erlang.connect=" + peer.nodeName(),
					"erlang.default-peer=" + peer.nodeName());
	}

	private static String javaNode(AssertableApplicationContext context) {
		ErlangNode node = context.getBean(ErlangNode.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> node.connectedNodes().contains(peer.nodeName()));
		return node.name();
	}

	private static <C extends ErlangObservationContext> List<C> contexts(Collector collector, Class<C> type,
			String target) {
		return collector.stopped.stream()
			.filter(type::isInstance)
			.map(type::cast)
			.filter((context) -> context.getTarget().equals(target))
			.toList();
	}

	@Test
	void javaCallingErlangIsAClientObservationPerRequest() {
		runner().run((context) -> {
			javaNode(context);
			Collector registry = context.getBean(Collector.class);
			ErlangOperations erlang = context.getBean(ErlangOperations.class);
			assertThat(erlang.rpc(peer.nodeName(), "erlang", "abs", Long.class, -3)).isEqualTo(3L);
			TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
				.hasObservationWithNameEqualTo("erlang.client.requests");
			ErlangClientContext rpc = contexts(registry, ErlangClientContext.class, "erlang:abs/1").get(0);
			assertThat(rpc).hasNameEqualTo("erlang.client.requests")
				.hasContextualNameEqualTo("rpc erlang:abs/1")
				.hasLowCardinalityKeyValue("erlang.interaction", "rpc")
				.hasLowCardinalityKeyValue("erlang.peer", peer.nodeName())
				.hasLowCardinalityKeyValue("outcome", "SUCCESS")
				.hasLowCardinalityKeyValue("exception", "none");

			org.assertj.core.api.Assertions.assertThatThrownBy(() -> erlang.rpc(peer.nodeName(), "erlang", "abs", "x"))
				.isInstanceOf(io.github.erlangspring.node.ErlangRemoteException.class);
			assertThat(contexts(registry, ErlangClientContext.class, "erlang:abs/1")).hasSize(2);
			assertThat(contexts(registry, ErlangClientContext.class, "erlang:abs/1").get(1))
				.hasLowCardinalityKeyValue("outcome", "ERROR")
				.hasLowCardinalityKeyValue("exception", "ErlangRemoteException");

			erlang.send("no_such_process", "hello");
			assertThat(contexts(registry, ErlangClientContext.class, "no_such_process").get(0))
				.hasLowCardinalityKeyValue("erlang.interaction", "send");
			assertThat(context.getBean(PubSubOperations.class).publish("obs_topic", "hi")).isEqualTo(1);
			assertThat(contexts(registry, ErlangClientContext.class, "pg/obs_topic").get(0))
				.hasLowCardinalityKeyValue("erlang.interaction", "publish");
		});
	}

	@Test
	void erlangCallingJavaIsAServerObservationWithTheCallerInTheMdcAndCallsBackAreItsChildren() {
		runner().run((context) -> {
			String javaNode = javaNode(context);
			Collector registry = context.getBean(Collector.class);
			Observed observed = context.getBean(Observed.class);
			assertThat(peer.eval("rpc:call('" + javaNode + "', obs, call_back, [])")).isEqualTo(new OtpErlangAtom(peer.nodeName()));

			await().atMost(Duration.ofSeconds(10))
				.until(() -> !contexts(registry, ErlangServerContext.class, "obs:call_back/0").isEmpty());
			ErlangServerContext server = contexts(registry, ErlangServerContext.class, "obs:call_back/0").get(0);
			assertThat(server).hasNameEqualTo("erlang.server.requests")
				.hasLowCardinalityKeyValue("erlang.interaction", "rpc")
				.hasLowCardinalityKeyValue("erlang.peer", peer.nodeName())
				.hasLowCardinalityKeyValue("outcome", "SUCCESS")
				.doesNotHaveLowCardinalityKeyValueWithKey("erlang.caller.pid");
			assertThat(server.getHighCardinalityKeyValue("erlang.caller.pid").getValue()).startsWith("<" + peer.nodeName());
			// the call back into Erlang, made while handling, is a child of the server observation
			ErlangClientContext callBack = contexts(registry, ErlangClientContext.class, "erlang:node/0").get(0);
			assertThat(callBack.getParentObservation()).isNotNull();
			assertThat(callBack.getParentObservation().getContextView()).isSameAs(server);
			assertThat(observed.mdc).contains("peer=" + peer.nodeName());
			assertThat(observed.mdc).anyMatch((entry) -> entry.startsWith("pid=<" + peer.nodeName()));
			assertThat(MDC.get(ErlangObservations.MDC_PEER)).as("nothing left in the MDC of this thread").isNull();

			assertThat(peer.eval("catch gen_server:call({obs_counter, '" + javaNode + "'}, incr)")).hasToString("1");
			assertThat(peer.eval("catch gen_server:call({obs_counter, '" + javaNode + "'}, fail)").toString())
				.contains("IllegalStateException");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> contexts(registry, ErlangServerContext.class, "obs_counter").size() == 2);
			assertThat(contexts(registry, ErlangServerContext.class, "obs_counter").get(0))
				.hasLowCardinalityKeyValue("erlang.interaction", "call")
				.hasLowCardinalityKeyValue("outcome", "SUCCESS");
			assertThat(contexts(registry, ErlangServerContext.class, "obs_counter").get(1))
				.hasLowCardinalityKeyValue("outcome", "ERROR")
				.hasLowCardinalityKeyValue("exception", "IllegalStateException");

			await().atMost(Duration.ofSeconds(30))
				.until(() -> peer.eval("length(pg:get_members(<<\"obs_topic\">>))").toString().equals("1"));
			assertThat(peer.eval("[P ! {pubsub, <<\"obs_topic\">>, <<\"m\">>} || P <- pg:get_members(<<\"obs_topic\">>)], ok"))
				.hasToString("ok");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> !contexts(registry, ErlangServerContext.class, "@ErlangSubscribe(pg/obs_topic)").isEmpty());
			assertThat(contexts(registry, ErlangServerContext.class, "@ErlangSubscribe(pg/obs_topic)").get(0))
				.hasLowCardinalityKeyValue("erlang.interaction", "delivery")
				.hasLowCardinalityKeyValue("erlang.peer", "none");
		});
	}

	@Test
	void aConventionBeanReplacesTheDefault() {
		runner().withBean(ErlangClientObservationConvention.class, () -> new DefaultErlangClientObservationConvention() {
			@Override
			public String getName() {
				return "shop.erlang.calls";
			}
		}).run((context) -> {
			javaNode(context);
			context.getBean(ErlangOperations.class).rpc(peer.nodeName(), "erlang", "abs", -1);
			assertThat(contexts(context.getBean(Collector.class), ErlangClientContext.class,
					"erlang:abs/1").get(0)).hasNameEqualTo("shop.erlang.calls");
		});
	}

	@Test
	void disabledObservesNothing() {
		runner().withPropertyValues("erlang.observations.enabled=false").run((context) -> {
			javaNode(context);
			context.getBean(ErlangOperations.class).rpc(peer.nodeName(), "erlang", "abs", -1);
			TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
				.doesNotHaveAnyObservation();
			assertThat(context.getBean(Collector.class).stopped).isEmpty();
			assertThat(context.getBean(ErlangObservations.class)).isSameAs(ErlangObservations.NOOP);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Observed {

		final List<String> mdc = new CopyOnWriteArrayList<>();

		@Bean
		Collector collector() {
			return new Collector();
		}

		@Bean
		TestObservationRegistry testObservationRegistry(Collector collector) {
			TestObservationRegistry registry = TestObservationRegistry.create();
			registry.observationConfig().observationHandler(collector);
			return registry;
		}

		@Bean
		ObsRpc obsRpc(ObjectProvider<ErlangOperations> erlang) {
			return new ObsRpc(erlang, this.mdc);
		}

		@Bean
		ObsCounter obsCounter() {
			return new ObsCounter();
		}

		@Bean
		ObsSubscriber obsSubscriber() {
			return new ObsSubscriber();
		}

	}

	/**
	 * Keeps every context once its observation stopped, in order: key values are final then (an
	 * Erlang caller may get its answer a moment before the server observation stops).
	 */
	static final class Collector implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	@ErlangRpc(module = "obs")
	static class ObsRpc {

		private final ObjectProvider<ErlangOperations> erlang;

		private final List<String> mdc;

		ObsRpc(ObjectProvider<ErlangOperations> erlang, List<String> mdc) {
			this.erlang = erlang;
			this.mdc = mdc;
		}

		@ErlangRpc
		Object callBack() {
			this.mdc.add("peer=" + MDC.get(ErlangObservations.MDC_PEER));
			this.mdc.add("pid=" + MDC.get(ErlangObservations.MDC_PID));
			return new OtpErlangAtom(this.erlang.getObject().rpc(peer.nodeName(), "erlang", "node", String.class));
		}

	}

	@ErlangProcess("obs_counter")
	static class ObsCounter {

		private long count;

		@HandleCall("incr")
		long incr() {
			return ++this.count;
		}

		@HandleCall("fail")
		long fail() {
			throw new IllegalStateException("asked to fail");
		}

	}

	static class ObsSubscriber {

		final List<String> received = new CopyOnWriteArrayList<>();

		@ErlangSubscribe("obs_topic")
		void news(String message) {
			this.received.add(message);
		}

	}

}
