package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.erlangspring.cluster.ErlangPeerConnector;
import io.github.erlangspring.core.ErlangNodeTemplate;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lifecycle beans, the shutdown timeout and {@link ErlangConnectionDetails}.
 */
class ErlangLifecycleAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class));

	@BeforeAll
	static void epmd() {
		ErlangRuntime.ensureEpmd();
	}

	private static String node() {
		return "erlang.node=" + ErlangPeer.uniqueAlive("esb_lac") + "@127.0.0.1";
	}

	@Test
	void theNodeStartsWithTheContextAndStopsWithIt() {
		this.runner.withPropertyValues(node(), "erlang.cookie=" + ErlangPeer.randomCookie()).run((context) -> {
			assertThat(context).hasSingleBean(ErlangNodeLifecycle.class).hasSingleBean(ErlangNodeLifecycle.Gate.class);
			ErlangNode node = context.getBean(ErlangNode.class);
			assertThat(node.isRunning()).isTrue();
			assertThat(node.isAccepting()).isTrue();
			int creation = node.creation();
			context.stop();
			assertThat(node.isRunning()).isFalse();
			assertThat(node.isAccepting()).isFalse();
			context.start();
			assertThat(node.isRunning()).isTrue();
			assertThat(node.isAccepting()).isTrue();
			assertThat(node.creation()).as("a new incarnation").isNotEqualTo(creation);
		});
	}

	@Test
	void theShutdownTimeoutIsAtMostBootsPhaseTimeout() {
		ErlangProperties properties = new ErlangProperties();
		properties.setShutdownTimeout(Duration.ofSeconds(10));
		assertThat(ErlangAutoConfiguration.NodeConfiguration.shutdownTimeout(properties, new MockEnvironment()))
			.isEqualTo(Duration.ofSeconds(10));
		MockEnvironment shortPhase = new MockEnvironment().withProperty("spring.lifecycle.timeout-per-shutdown-phase",
				"3s");
		assertThat(ErlangAutoConfiguration.NodeConfiguration.shutdownTimeout(properties, shortPhase))
			.isEqualTo(Duration.ofSeconds(3));
		properties.setShutdownTimeout(Duration.ofSeconds(1));
		assertThat(ErlangAutoConfiguration.NodeConfiguration.shutdownTimeout(properties, shortPhase))
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void connectionDetailsComeFromThePropertiesByDefault() {
		String cookie = ErlangPeer.randomCookie();
		this.runner
			.withPropertyValues(node(), "erlang.cookie=" + cookie, "erlang.default-peer=shop@127.0.0.1",
					"erlang.connect=a@127.0.0.1,b@127.0.0.1")
			.run((context) -> {
				ErlangConnectionDetails details = context.getBean(ErlangConnectionDetails.class);
				assertThat(details).isInstanceOf(PropertiesErlangConnectionDetails.class);
				assertThat(details.getCookie()).isEqualTo(cookie);
				assertThat(details.getDefaultPeer()).isEqualTo("shop@127.0.0.1");
				assertThat(details.getPeers()).containsExactly("a@127.0.0.1", "b@127.0.0.1");
			});
	}

	@Test
	void connectionDetailsBeanWinsOverTheProperties() {
		ErlangConnectionDetails own = new ErlangConnectionDetails() {

			@Override
			public String getCookie() {
				return "from-details";
			}

			@Override
			public String getDefaultPeer() {
				return "peer@127.0.0.1";
			}

			@Override
			public List<String> getPeers() {
				return List.of("peer@127.0.0.1");
			}

		};
		this.runner.withPropertyValues(node(), "erlang.cookie=from-properties", "erlang.default-peer=other@127.0.0.1")
			.withBean(ErlangConnectionDetails.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(ErlangConnectionDetails.class);
				assertThat(context.getBean(ErlangNodeTemplate.class).getDefaultPeer()).isEqualTo("peer@127.0.0.1");
				assertThat(context.getBean(ErlangPeerConnector.class).getPeers()).containsExactly("peer@127.0.0.1");
			});
	}

	@Test
	void userLifecycleBeansMakeOursBackOff() {
		this.runner.withPropertyValues(node(), "erlang.cookie=" + ErlangPeer.randomCookie())
			.withUserConfiguration(OwnLifecycle.class)
			.run((context) -> {
				assertThat(context.getBeanNamesForType(ErlangNodeLifecycle.class)).containsExactly("ownLifecycle");
				assertThat(context.getBeanNamesForType(ErlangNodeLifecycle.Gate.class)).containsExactly("ownGate");
				assertThat(context.getBean(ErlangNode.class).isRunning()).isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnLifecycle {

		@Bean
		ErlangNodeLifecycle ownLifecycle(ErlangNode node) {
			return new ErlangNodeLifecycle(node, Duration.ofSeconds(1));
		}

		@Bean
		ErlangNodeLifecycle.Gate ownGate(ErlangNode node) {
			return new ErlangNodeLifecycle.Gate(node, Duration.ofSeconds(1));
		}

	}

}
