package io.github.erlangspring.autoconfigure.actuate;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangProperties;
import io.github.erlangspring.cluster.ErlangPeerConnector;
import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.pubsub.PubSubScopes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code erlang} Actuator endpoint ({@link ErlangEndpoint}), when Actuator is present, an
 * {@link ErlangNode} runs and the endpoint is available (expose it over HTTP with
 * {@code management.endpoints.web.exposure.include=erlang}).
 */
@AutoConfiguration(after = ErlangAutoConfiguration.class,
		afterName = "io.github.erlangspring.autoconfigure.ErlangPubSubAutoConfiguration")
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class, OtpErlangObject.class })
@ConditionalOnBean(ErlangNode.class)
@ConditionalOnAvailableEndpoint(ErlangEndpoint.class)
public class ErlangEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ErlangEndpoint erlangEndpoint(ErlangNode node, ErlangProperties properties,
			ObjectProvider<ErlangPeerConnector> connector, ObjectProvider<ErlangEndpointRegistry> endpoints,
			ObjectProvider<PubSubScopes> scopes) {
		ErlangPeerConnector peers = connector.getIfUnique();
		return new ErlangEndpoint(node, properties.getEpmd().getMode(),
				(peers != null) ? peers.getPeers() : properties.getConnect(), endpoints.getIfUnique(),
				scopes.getIfUnique());
	}

}
