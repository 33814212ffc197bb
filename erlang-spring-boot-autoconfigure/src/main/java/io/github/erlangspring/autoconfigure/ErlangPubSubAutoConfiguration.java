package io.github.erlangspring.autoconfigure;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.endpoint.ErlangSubscriberRegistry;
import io.github.erlangspring.handler.ErlangErrorHandler;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.pubsub.PubSubScopes;
import io.github.erlangspring.pubsub.PubSubTemplate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of publish/subscribe on Erlang's pg, when there is an {@link ErlangNode}:
 * the node's pg scopes ({@code erlang.pubsub.scope} and {@code erlang.pubsub.scopes}), a
 * {@link PubSubTemplate} on the default scope, and the registry of {@code @ErlangSubscribe}
 * methods. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = ErlangAutoConfiguration.class)
@ConditionalOnClass(OtpErlangObject.class)
@ConditionalOnBean(ErlangNode.class)
@ConditionalOnProperty(prefix = "erlang.pubsub", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ErlangPubSubProperties.class)
public class ErlangPubSubAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PubSubScopes erlangPubSubScopes(ErlangNode node, ErlangConverter converter, ErlangPubSubProperties properties,
			ObjectProvider<ErlangObservations> observations) {
		PubSubScopes scopes = PubSubScopes.create(node, converter, properties.getScope(), properties.getScopes());
		ErlangObservations observed = observations.getIfAvailable(() -> ErlangObservations.NOOP);
		scopes.names().forEach((name) -> scopes.template(name).setObservations(observed));
		return scopes;
	}

	@Bean
	@ConditionalOnMissingBean(name = "erlangPubSubScopesLifecycle")
	PubSubScopesLifecycle erlangPubSubScopesLifecycle(PubSubScopes scopes) {
		return new PubSubScopesLifecycle(scopes);
	}

	@Bean
	@ConditionalOnMissingBean(PubSubOperations.class)
	PubSubTemplate pubSubTemplate(PubSubScopes scopes) {
		return scopes.template();
	}

	@Bean
	@ConditionalOnMissingBean
	ErlangSubscriberRegistry erlangSubscriberRegistry(PubSubScopes scopes, ErlangConverter converter,
			ObjectProvider<ErlangErrorHandler> errorHandler, ObjectProvider<ErlangObservations> observations) {
		ErlangSubscriberRegistry registry = new ErlangSubscriberRegistry(scopes, converter, errorHandler.getIfUnique());
		registry.setObservations(observations.getIfAvailable(() -> ErlangObservations.NOOP));
		return registry;
	}

}
