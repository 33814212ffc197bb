package io.github.erlangspring.autoconfigure;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.core.ErlangNodeTemplate;
import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeObserver;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class ErlangAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class));

	@BeforeAll
	static void epmd() {
		ErlangRuntime.ensureEpmd();
	}

	private static String[] nodeProperties() {
		return new String[] { "erlang.node=" + ErlangPeer.uniqueAlive("esb_ac") + "@127.0.0.1",
				"erlang.cookie=" + ErlangPeer.randomCookie() };
	}

	@Test
	void withoutNodeNameOnlyTheConverterExistsAndNothingFails() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ErlangConverter.class);
			assertThat(context).doesNotHaveBean(ErlangNode.class);
			assertThat(context).doesNotHaveBean(ErlangOperations.class);
			assertThat(context).doesNotHaveBean(ErlangEndpointRegistry.class);
		});
	}

	@Test
	void disabledConfiguresNothing() {
		this.runner.withPropertyValues(nodeProperties())
			.withPropertyValues("erlang.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ErlangConverter.class)
				.doesNotHaveBean(ErlangNode.class));
	}

	@Test
	void nodeNameStartsANodeWithTemplateAndRegistry() {
		String[] properties = nodeProperties();
		this.runner.withPropertyValues(properties)
			.withPropertyValues("erlang.default-peer=peer@127.0.0.1", "erlang.rpc.timeout=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ErlangNode node = context.getBean(ErlangNode.class);
				assertThat(node.isRunning()).isTrue();
				assertThat(node.name()).isEqualTo(properties[0].substring("erlang.node=".length()));
				ErlangNodeTemplate template = context.getBean(ErlangNodeTemplate.class);
				assertThat(template.getDefaultPeer()).isEqualTo("peer@127.0.0.1");
				assertThat(template.getDefaultTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(context).hasSingleBean(ErlangEndpointRegistry.class);
			});
	}

	@Test
	void nodeStopsWithTheContext() {
		List<ErlangNode> nodes = new ArrayList<>();
		this.runner.withPropertyValues(nodeProperties()).run((context) -> nodes.add(context.getBean(ErlangNode.class)));
		assertThat(nodes.get(0).isRunning()).isFalse();
	}

	@Test
	void userBeansMakeOursBackOff() {
		ErlangNode node = mock(ErlangNode.class);
		ErlangOperations operations = mock(ErlangOperations.class);
		ErlangConverter converter = new DefaultErlangConverter();
		this.runner.withPropertyValues(nodeProperties())
			.withBean(ErlangNode.class, () -> node)
			.withBean(ErlangOperations.class, () -> operations)
			.withBean(ErlangConverter.class, () -> converter)
			.run((context) -> {
				assertThat(context.getBean(ErlangNode.class)).isSameAs(node);
				assertThat(context.getBean(ErlangOperations.class)).isSameAs(operations);
				assertThat(context.getBean(ErlangConverter.class)).isSameAs(converter);
				assertThat(context).doesNotHaveBean(ErlangNodeTemplate.class);
			});
	}

	@Test
	void customizersApplyInOrder() {
		this.runner.withPropertyValues(nodeProperties())
			.withUserConfiguration(CustomizerConfiguration.class)
			.run((context) -> {
				ErlangNodeTemplate template = context.getBean(ErlangNodeTemplate.class);
				assertThat(template.getDefaultPeer()).isEqualTo("second@127.0.0.1");
				// the config customizers changed the node's configuration, in their order: the observers
				// they added hear an event in that order
				ErlangNode node = context.getBean(ErlangNode.class);
				node.observer().connectionUp("esb_any@127.0.0.1", false);
				assertThat(context.getBean(CustomizerConfiguration.class).heard).containsExactly("first", "second");
			});
	}

	@Test
	void invalidNodeNameFailsWithAnAnalysis() {
		this.runner.withPropertyValues("erlang.node=bad name!", "erlang.cookie=x").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("Invalid Erlang node name").contains("bad name!");
			assertThat(analysis.getAction()).contains("erlang.node");
		});
	}

	@Test
	void unreadableCookieFileFailsWithAnAnalysis(@TempDir Path dir) {
		Path missing = dir.resolve("no-such-cookie");
		this.runner.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_ac") + "@127.0.0.1",
				"erlang.cookie-file=" + missing)
			.run((context) -> {
				FailureAnalysis analysis = analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("No Erlang cookie").contains(missing.toString());
				assertThat(analysis.getAction()).contains("erlang.cookie");
			});
	}

	@Test
	void takenPortFailsWithAnAnalysis() throws Exception {
		try (ServerSocket taken = new ServerSocket(0)) {
			this.runner.withPropertyValues(nodeProperties())
				.withPropertyValues("erlang.port=" + taken.getLocalPort())
				.run((context) -> {
					FailureAnalysis analysis = analyze(context.getStartupFailure());
					assertThat(analysis.getDescription()).contains(Integer.toString(taken.getLocalPort()));
					assertThat(analysis.getAction()).contains("erlang.port");
				});
		}
	}

	@Test
	void duplicateNodeNameFailsWithAnAnalysis() {
		String[] properties = nodeProperties();
		this.runner.withPropertyValues(properties).run((first) -> {
			assertThat(first).hasNotFailed();
			this.runner.withPropertyValues(properties).run((second) -> {
				FailureAnalysis analysis = analyze(second.getStartupFailure());
				assertThat(analysis.getDescription()).contains("could not register");
				assertThat(analysis.getAction()).contains("another erlang.node");
			});
		});
	}

	@Test
	void cookieNeverAppearsInPropertiesToString() {
		ErlangProperties properties = new ErlangProperties();
		properties.setCookie("SECRETCOOKIE");
		assertThat(properties.toString()).doesNotContain("SECRETCOOKIE");
	}

	@Test
	void configurationMetadataIsGenerated() throws Exception {
		try (var metadata = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(metadata).isNotNull();
			String json = new String(metadata.readAllBytes());
			assertThat(json).contains("\"erlang.node\"", "\"erlang.cookie\"", "\"erlang.epmd.mode\"",
					"\"erlang.net-ticktime\"", "\"erlang.connect\"", "\"erlang.default-peer\"", "\"erlang.rpc.timeout\"",
					"\"erlang.limits.max-frame-size\"", "\"erlang.limits.mailbox-capacity\"", "\"erlang.enabled\"");
		}
	}

	private static FailureAnalysis analyze(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof ErlangNodeStartException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("ErlangNodeStartException in " + failure).isNotNull();
		return new ErlangNodeFailureAnalyzer().analyze(failure);
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		final List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		ErlangNodeTemplateCustomizer second() {
			return (template) -> template.setDefaultPeer("second@127.0.0.1");
		}

		@Bean
		@Order(1)
		ErlangNodeTemplateCustomizer first() {
			return (template) -> template.setDefaultPeer("first@127.0.0.1");
		}

		@Bean
		@Order(2)
		ErlangNodeConfigCustomizer secondConfig() {
			return (builder) -> builder.addObserver(heardAs("second"));
		}

		@Bean
		@Order(1)
		ErlangNodeConfigCustomizer firstConfig() {
			return (builder) -> builder.addObserver(heardAs("first"));
		}

		private NodeObserver heardAs(String name) {
			return new NodeObserver() {
				@Override
				public void connectionUp(String node, boolean hidden) {
					CustomizerConfiguration.this.heard.add(name);
				}
			};
		}

	}

}
