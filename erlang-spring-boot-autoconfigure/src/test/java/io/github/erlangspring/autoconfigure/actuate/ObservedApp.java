package io.github.erlangspring.autoconfigure.actuate;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.annotation.HandleCast;
import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangPubSubAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangStateAutoConfiguration;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * A Spring application with the Erlang node, pub/sub on the default pg scope, state in the local
 * backend, Boot's meter registry and the observability auto-configurations, an {@code @ErlangRpc} module ({@code obs}) and two {@code @ErlangProcess}
 * endpoints ({@code obs_counter}, and {@code obs_gate}, whose casts wait for permits).
 */
final class ObservedApp {

	private ObservedApp() {
	}

	/**
	 * Starts the application as a node named {@code node} with the peer's cookie, keeping
	 * {@code connect} connected.
	 */
	static ConfigurableApplicationContext start(String node, ErlangPeer peer, String connect,
			Map<String, Object> extra) {
		ErlangRuntime.ensureEpmd();
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		Map<String, Object> properties = new HashMap<>();
		properties.put("erlang.node", node);
		properties.put("erlang.cookie", peer.cookie());
		properties.put("erlang.connect", connect);
		properties.put("erlang.reconnect.initial-backoff", "100ms");
		properties.put("erlang.reconnect.max-backoff", "500ms");
		properties.put("erlang.net-ticktime", "2s");
		properties.put("management.endpoints.web.exposure.include", "erlang");
		properties.putAll(extra);
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", properties));
		context.registerBean(Obs.class);
		context.registerBean(ObsCounter.class);
		context.registerBean(ObsGate.class);
		context.register(AutoConfig.class);
		context.refresh();
		return context;
	}

	/** Peers that tick as often as the application (net_ticktime 2 s). */
	static ErlangPeer.Builder peer(io.github.erlangspring.test.ErlangPeerExtension erlang, String cookie) {
		ErlangPeer.Builder builder = erlang.peer().netTicktime(Duration.ofSeconds(2));
		return (cookie != null) ? builder.cookie(cookie) : builder;
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ErlangAutoConfiguration.class, ErlangPubSubAutoConfiguration.class,
			ErlangStateAutoConfiguration.class, MetricsAutoConfiguration.class,
			CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
			ErlangMetricsAutoConfiguration.class, ErlangHealthContributorAutoConfiguration.class,
			ErlangEndpointAutoConfiguration.class })
	static class AutoConfig {

	}

	@ErlangRpc(module = "obs")
	static class Obs {

		@ErlangRpc
		String echo(String text) {
			return text;
		}

		@ErlangRpc
		String fail(String message) {
			throw new IllegalStateException(message);
		}

	}

	@ErlangProcess("obs_counter")
	static class ObsCounter {

		private long value;

		@HandleCall("incr")
		long incr() {
			return ++this.value;
		}

		@HandleCall("crash")
		long crash() {
			throw new IllegalStateException("crash on request");
		}

	}

	@ErlangProcess("obs_gate")
	static class ObsGate {

		static final Semaphore permits = new Semaphore(0);

		@HandleCast
		void pass(Object work) throws InterruptedException {
			permits.acquire();
		}

	}

}
