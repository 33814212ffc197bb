package io.github.erlangspring.autoconfigure;

import io.github.erlangspring.core.ErlangNodeTemplate;

/**
 * Customizes the auto-configured {@link ErlangNodeTemplate}; customizers apply in
 * {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface ErlangNodeTemplateCustomizer {

	void customize(ErlangNodeTemplate template);

}
