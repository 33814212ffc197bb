package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.state.ErlangStateFunctions;
import io.github.erlangspring.state.StateBackend;
import io.github.erlangspring.state.StateOperations;
import io.github.erlangspring.state.StateTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of state shared with Erlang: a {@link StateBackend} chosen by
 * {@code erlang.state.backend}, the {@link StateTemplate}, and the {@link ErlangStateFunctions}
 * through which Erlang reaches the same state on this node.
 */
@AutoConfiguration(after = { ErlangAutoConfiguration.class, ErlangBridgeAutoConfiguration.class })
@ConditionalOnBean(ErlangNode.class)
@ConditionalOnProperty(prefix = "erlang.state", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ErlangStateProperties.class)
public class ErlangStateAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ErlangStateAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	StateBackend erlangStateBackend(ErlangStateProperties state, ErlangProperties erlang, ErlangNode node,
			ObjectProvider<SpringBridgeLoader> loader) {
		if (state.getBackend() == ErlangStateProperties.Backend.LOCAL) {
			return StateBackend.local(state.getPurgeInterval());
		}
		Duration timeout = (state.getTimeout() != null) ? state.getTimeout() : erlang.getRpc().getTimeout();
		SpringBridgeLoader bridgeLoader = loader.getIfAvailable();
		Consumer<String> load = (bridgeLoader != null) ? bridgeLoader::load : null;
		if (state.getBackend() == ErlangStateProperties.Backend.MNESIA) {
			List<String> nodes = state.getNodes().stream().map(String::strip).filter((n) -> !n.isEmpty()).toList();
			if (nodes.isEmpty()) {
				throw new ErlangNodeStartException(
						"erlang.state.backend is 'mnesia' but erlang.state.nodes names no Erlang node to hold it.",
						"Set erlang.state.nodes to the Erlang nodes that keep replicas of the table, e.g. "
								+ "[shop1@10.0.0.1, shop2@10.0.0.2].",
						null);
			}
			return StateBackend.mnesia(node, nodes, state.getTable(), timeout, load);
		}
		String stateNode = (state.getNode() != null && !state.getNode().isBlank()) ? state.getNode()
				: erlang.getDefaultPeer();
		if (stateNode == null || stateNode.isBlank()) {
			throw new ErlangNodeStartException("erlang.state.backend is 'ets' but no Erlang node is named to hold the table.",
					"Set erlang.state.node (or erlang.default-peer) to the Erlang node that keeps the state.", null);
		}
		return StateBackend.ets(node, stateNode.strip(), state.getTable(), timeout, load);
	}

	@Bean
	@ConditionalOnMissingBean(StateOperations.class)
	StateTemplate stateTemplate(StateBackend backend, ErlangConverter converter) {
		return new StateTemplate(backend, converter);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "erlang.state", name = "expose", havingValue = "true", matchIfMissing = true)
	ErlangStateFunctions erlangStateFunctions(StateBackend backend, ErlangStateProperties state,
			ObjectProvider<ErlangEndpointRegistry> registry) {
		ErlangStateFunctions functions = new ErlangStateFunctions(backend, state.getModule());
		ErlangEndpointRegistry endpoints = registry.getIfAvailable();
		if (endpoints != null) {
			endpoints.addFunctionTable(functions);
		}
		else {
			logger.warn("No ErlangEndpointRegistry: Erlang cannot reach the state as module {}", state.getModule());
		}
		return functions;
	}

}
