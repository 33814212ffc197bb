package io.github.erlangspring.autoconfigure.actuate;

import java.util.Collection;
import java.util.function.Supplier;

import com.ericsson.otp.erlang.OtpErlangObject;
import io.micrometer.core.instrument.MeterRegistry;

import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangNodeConfigCustomizer;
import io.github.erlangspring.autoconfigure.ErlangProperties;
import io.github.erlangspring.cluster.ErlangPeerConnector;
import io.github.erlangspring.metrics.ErlangNodeMeterBinder;
import io.github.erlangspring.metrics.ErlangNodeMetrics;
import io.github.erlangspring.node.ErlangNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the Erlang node, when Micrometer and a {@link MeterRegistry} are present:
 * {@link ErlangNodeMetrics} observes the auto-configured node (added to it by an
 * {@link ErlangNodeConfigCustomizer}), and {@link ErlangNodeMeterBinder} reads peers and traffic
 * from it; the application's {@code StateBackend} is wrapped so state operations are timed. A node
 * the application builds itself needs
 * {@code NodeConfig.Builder.addObserver(erlangNodeMetrics)} for the event meters.
 */
@AutoConfiguration(after = ErlangAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, OtpErlangObject.class })
@ConditionalOnBean({ MeterRegistry.class, ErlangNode.class })
public class ErlangMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ErlangNodeMetrics erlangNodeMetrics(MeterRegistry registry) {
		return new ErlangNodeMetrics(registry);
	}

	@Bean
	@ConditionalOnMissingBean(name = "erlangNodeMetricsCustomizer")
	ErlangNodeConfigCustomizer erlangNodeMetricsCustomizer(ErlangNodeMetrics metrics) {
		return (builder) -> builder.addObserver(metrics);
	}

	@Bean
	@ConditionalOnMissingBean
	ErlangNodeMeterBinder erlangNodeMeterBinder(ErlangNode node, ErlangNodeMetrics metrics,
			ObjectProvider<ErlangPeerConnector> connector, ErlangProperties properties) {
		return new ErlangNodeMeterBinder(node, metrics, expectedPeers(connector, properties));
	}

	@Bean
	@ConditionalOnMissingBean(name = "erlangStateBackendMetricsPostProcessor")
	static BeanPostProcessor erlangStateBackendMetricsPostProcessor(ObjectProvider<ErlangNodeMetrics> metrics) {
		return new StateBackendMetricsPostProcessor(metrics);
	}

	static Supplier<Collection<String>> expectedPeers(ObjectProvider<ErlangPeerConnector> connector,
			ErlangProperties properties) {
		return () -> {
			ErlangPeerConnector peers = connector.getIfUnique();
			return (peers != null) ? peers.getPeers() : properties.getConnect();
		};
	}

}
