package io.github.erlangspring.autoconfigure;

import java.util.EnumSet;

import jakarta.servlet.DispatcherType;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.web.ErlangHookFilter;
import io.github.erlangspring.web.ErlangHookWebFilter;
import io.github.erlangspring.web.Hooks;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the Erlang web hooks: with any of {@code erlang.hooks.on-request},
 * {@code on-response} or {@code on-error} set, an {@link ErlangHookFilter} (servlet web
 * applications) or an {@link ErlangHookWebFilter} (reactive, WebFlux, applications) calls those
 * functions (registered with {@code spring_bridge}) around each request.
 */
@AutoConfiguration(after = { ErlangAutoConfiguration.class, ErlangBridgeAutoConfiguration.class })
@ConditionalOnBean(ErlangNode.class)
@Conditional(ErlangHooksAutoConfiguration.AnyHookCondition.class)
@EnableConfigurationProperties(ErlangHooksProperties.class)
public class ErlangHooksAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnClass(name = { "jakarta.servlet.Filter", "org.springframework.boot.web.servlet.FilterRegistrationBean",
			"org.springframework.web.filter.OncePerRequestFilter" })
	static class ServletHooksConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ErlangHookFilter erlangHookFilter(ErlangNode node, ErlangHooksProperties hooks, ErlangProperties erlang,
				ObjectProvider<ErlangObservations> observations) {
			ErlangHookFilter filter = new ErlangHookFilter(node, hookNode(hooks, erlang), hooksOf(hooks),
					hooks.getTimeout(), hooks.getFailureMode(), hooks.getFailureStatus());
			filter.setWithheldHeaders(hooks.getWithheldHeaders());
			filter.setObservations(observations.getIfAvailable(() -> ErlangObservations.NOOP));
			return filter;
		}

		@Bean
		@ConditionalOnMissingBean(name = "erlangHookFilterRegistration")
		FilterRegistrationBean<ErlangHookFilter> erlangHookFilterRegistration(ErlangHookFilter filter,
				ErlangHooksProperties hooks) {
			FilterRegistrationBean<ErlangHookFilter> registration = new FilterRegistrationBean<>(filter);
			registration.setName("erlangHookFilter");
			registration.setUrlPatterns(hooks.getUrlPatterns());
			registration.setOrder(hooks.getOrder());
			registration.setDispatcherTypes(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
	static class ReactiveHooksConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ErlangHookWebFilter erlangHookWebFilter(ErlangNode node, ErlangHooksProperties hooks, ErlangProperties erlang,
				ObjectProvider<ErlangObservations> observations) {
			ErlangHookWebFilter filter = new ErlangHookWebFilter(node, hookNode(hooks, erlang), hooksOf(hooks),
					hooks.getTimeout(), hooks.getFailureMode(), hooks.getFailureStatus());
			filter.setOrder(hooks.getOrder());
			filter.setWithheldHeaders(hooks.getWithheldHeaders());
			filter.setObservations(observations.getIfAvailable(() -> ErlangObservations.NOOP));
			return filter;
		}

	}

	private static Hooks hooksOf(ErlangHooksProperties hooks) {
		return new Hooks(hooks.getOnRequest(), hooks.getOnResponse(), hooks.getOnError());
	}

	/** The node the hooks are registered on, after checking the settings. */
	private static String hookNode(ErlangHooksProperties hooks, ErlangProperties erlang) {
		String hookNode = (hooks.getNode() != null && !hooks.getNode().isBlank()) ? hooks.getNode()
				: erlang.getDefaultPeer();
		if (hookNode == null || hookNode.isBlank()) {
			throw new ErlangNodeStartException("Erlang hooks are configured (erlang.hooks.*) but no Erlang node is named "
					+ "to call them on.", "Set erlang.hooks.node (or erlang.default-peer) to the node where the hook "
							+ "functions are registered with spring_bridge.",
					null);
		}
		if (hooks.getFailureStatus() < 100 || hooks.getFailureStatus() > 599) {
			throw new ErlangNodeStartException("erlang.hooks.failure-status is " + hooks.getFailureStatus()
					+ ", not an HTTP status.", "Set erlang.hooks.failure-status to a status from 100 to 599.", null);
		}
		return hookNode.strip();
	}

	static class AnyHookCondition extends AnyNestedCondition {

		AnyHookCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(prefix = "erlang.hooks", name = "on-request")
		static class OnRequest {

		}

		@ConditionalOnProperty(prefix = "erlang.hooks", name = "on-response")
		static class OnResponse {

		}

		@ConditionalOnProperty(prefix = "erlang.hooks", name = "on-error")
		static class OnError {

		}

	}

}
