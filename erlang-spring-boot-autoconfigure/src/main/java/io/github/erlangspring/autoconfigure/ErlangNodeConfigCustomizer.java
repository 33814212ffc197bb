package io.github.erlangspring.autoconfigure;

import io.github.erlangspring.node.NodeConfig;

/**
 * Customizes the settings of the auto-configured node before it starts (e.g. an executor for
 * RPC calls); customizers apply in {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface ErlangNodeConfigCustomizer {

	void customize(NodeConfig.Builder builder);

}
