package io.github.erlangspring.autoconfigure.actuate;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangNodeConfigCustomizer;
import io.github.erlangspring.metrics.ErlangNodeMeterBinder;
import io.github.erlangspring.metrics.ErlangNodeMetrics;
import io.github.erlangspring.node.EpmdMode;
import io.github.erlangspring.node.ErlangNode;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Metrics, health and the endpoint each apply only when their classes, a node and (for metrics) a
 * meter registry are there, and each backs off for the application's own bean.
 */
class ErlangActuatorAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class, ErlangMetricsAutoConfiguration.class,
				ErlangHealthContributorAutoConfiguration.class, ErlangEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=erlang");

	private final ApplicationContextRunner withNode = this.runner.withBean(ErlangNode.class,
			() -> mock(ErlangNode.class));

	@Test
	void everythingWithANodeAndAMeterRegistry() {
		this.withNode.withBean(SimpleMeterRegistry.class).run((context) -> {
			assertThat(context).hasSingleBean(ErlangNodeMetrics.class)
				.hasSingleBean(ErlangNodeMeterBinder.class)
				.hasBean("erlangNodeMetricsCustomizer")
				.hasSingleBean(ErlangHealthIndicator.class)
				.hasBean("erlangHealthIndicator")
				.hasSingleBean(ErlangEndpoint.class);
			assertThat(context.getBean("erlangNodeMetricsCustomizer")).isInstanceOf(ErlangNodeConfigCustomizer.class);
		});
	}

	@Test
	void nothingWithoutANode() {
		this.runner.withBean(SimpleMeterRegistry.class).run((context) -> assertThat(context)
			.doesNotHaveBean(ErlangNodeMetrics.class)
			.doesNotHaveBean(ErlangHealthIndicator.class)
			.doesNotHaveBean(ErlangEndpoint.class));
	}

	@Test
	void noMetricsWithoutMicrometer() {
		this.withNode.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> assertThat(context)
			.doesNotHaveBean(ErlangNodeMetrics.class)
			.doesNotHaveBean(ErlangNodeMeterBinder.class)
			.hasSingleBean(ErlangHealthIndicator.class)
			.hasSingleBean(ErlangEndpoint.class));
	}

	@Test
	void noMetricsWithoutAMeterRegistry() {
		this.withNode.run((context) -> assertThat(context).doesNotHaveBean(ErlangNodeMetrics.class)
			.doesNotHaveBean("erlangNodeMetricsCustomizer"));
	}

	@Test
	void noHealthIndicatorWithoutBootHealthOrWhenDisabled() {
		this.withNode.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ErlangHealthIndicator.class)
				.hasSingleBean(ErlangEndpoint.class));
		this.withNode.withPropertyValues("management.health.erlang.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ErlangHealthIndicator.class));
	}

	@Test
	void noEndpointWithoutActuatorOrWhenNotExposed() {
		this.withNode.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ErlangEndpoint.class)
				.hasSingleBean(ErlangHealthIndicator.class));
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class, ErlangEndpointAutoConfiguration.class))
			.withBean(ErlangNode.class, () -> mock(ErlangNode.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ErlangEndpoint.class));
	}

	@Test
	void applicationBeansWin() {
		ErlangNode node = mock(ErlangNode.class);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ErlangNodeMetrics metrics = new ErlangNodeMetrics(registry);
		ErlangHealthIndicator health = new ErlangHealthIndicator(node, List.of(), List.of());
		ErlangEndpoint endpoint = new ErlangEndpoint(node, EpmdMode.OFF, List.of(), null, null);
		this.runner.withBean(ErlangNode.class, () -> node)
			.withBean(SimpleMeterRegistry.class, () -> registry)
			.withBean(ErlangNodeMetrics.class, () -> metrics)
			.withBean("erlangHealthIndicator", ErlangHealthIndicator.class, () -> health)
			.withBean(ErlangEndpoint.class, () -> endpoint)
			.run((context) -> {
				assertThat(context.getBean(ErlangNodeMetrics.class)).isSameAs(metrics);
				assertThat(context.getBean(ErlangHealthIndicator.class)).isSameAs(health);
				assertThat(context.getBean(ErlangEndpoint.class)).isSameAs(endpoint);
			});
	}

}
