package io.github.erlangspring.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangProperties;
import io.github.erlangspring.cluster.ErlangPeerConnector;
import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.ErlangNode;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;

/**
 * The {@code erlang} health indicator ({@link ErlangHealthIndicator}), when Spring Boot's health
 * support is present and an {@link ErlangNode} runs. Disable it with
 * {@code management.health.erlang.enabled=false}.
 */
@AutoConfiguration(after = ErlangAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass({ HealthIndicator.class, OtpErlangObject.class })
@ConditionalOnBean(ErlangNode.class)
@ConditionalOnEnabledHealthIndicator("erlang")
public class ErlangHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "erlangHealthIndicator")
	ErlangHealthIndicator erlangHealthIndicator(ErlangNode node, ErlangProperties properties,
			ObjectProvider<ErlangPeerConnector> connector, ObjectProvider<ErlangEndpointRegistry> endpoints) {
		List<Lifecycle> components = new ArrayList<>();
		endpoints.ifUnique(components::add);
		ErlangPeerConnector peers = connector.getIfUnique();
		if (peers != null) {
			components.add(peers);
		}
		return new ErlangHealthIndicator(node, (peers != null) ? peers.getPeers() : properties.getConnect(),
				components);
	}

}
