package io.github.erlangspring.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.node.ErlangNode;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link SpringBridgeLoader}: loads {@code spring_bridge} onto the nodes
 * that registered functions, hooks and the {@code ets} state backend use, each time they connect
 * ({@code erlang.bridge.auto-load}, on by default).
 */
@AutoConfiguration(after = ErlangAutoConfiguration.class)
@ConditionalOnBean(ErlangNode.class)
@ConditionalOnProperty(prefix = "erlang.bridge", name = "auto-load", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties({ ErlangBridgeProperties.class, ErlangStateProperties.class,
		ErlangHooksProperties.class })
public class ErlangBridgeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SpringBridgeLoader springBridgeLoader(ErlangNode node, ErlangProperties erlang, ErlangBridgeProperties bridge,
			ErlangStateProperties state, ErlangHooksProperties hooks) {
		Set<String> nodes = new LinkedHashSet<>();
		addIfSet(nodes, erlang.getDefaultPeer());
		if (state.getBackend() == ErlangStateProperties.Backend.ETS) {
			addIfSet(nodes, state.getNode());
		}
		addIfSet(nodes, hooks.getNode());
		bridge.getNodes().forEach((each) -> addIfSet(nodes, each));
		return new SpringBridgeLoader(node, nodes, bridge.getTimeout());
	}

	private static void addIfSet(Set<String> nodes, String node) {
		if (node != null && !node.isBlank()) {
			nodes.add(node.strip());
		}
	}

}
