package io.github.erlangspring.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.endpoint.ErlangAnnotationBeanPostProcessor;
import io.github.erlangspring.cluster.ErlangClusterFollower;
import io.github.erlangspring.cluster.ErlangPeerConnector;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.convert.ErlangTypeConverter;
import io.github.erlangspring.core.ErlangNodeTemplate;
import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.event.ErlangNodeEventPublisher;
import io.github.erlangspring.handler.ErlangErrorHandler;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.node.NodeName;
import io.github.erlangspring.node.epmd.EpmdException;
import io.github.erlangspring.observation.ErlangClientObservationConvention;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.observation.ErlangServerObservationConvention;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the Erlang node: the {@link ErlangConverter} always; with
 * {@code erlang.node} set, the {@link ErlangNode}, the {@link ErlangNodeTemplate}, the
 * {@code @ErlangProcess}/{@code @ErlangRpc} infrastructure and the peer connector. Every bean
 * backs off when the application defines its own.
 */
@AutoConfiguration(afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnClass(OtpErlangObject.class)
@ConditionalOnProperty(prefix = "erlang", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ErlangProperties.class)
public class ErlangAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ErlangConverter erlangConverter(ObjectProvider<ErlangTypeConverter<?>> converters, ErlangProperties properties) {
		return new DefaultErlangConverter(converters.orderedStream().toList(),
				properties.getConversion().getNullAtom().name().toLowerCase(java.util.Locale.ROOT));
	}

	/**
	 * The observations of Java/Erlang interactions: into the application's
	 * {@link ObservationRegistry} (none: nothing is observed) unless
	 * {@code erlang.observations.enabled=false}, with the conventions the application defines.
	 */
	@Bean
	@ConditionalOnMissingBean
	ErlangObservations erlangObservations(ErlangProperties properties, ObjectProvider<ObservationRegistry> registry,
			ObjectProvider<ErlangClientObservationConvention> clientConvention,
			ObjectProvider<ErlangServerObservationConvention> serverConvention) {
		if (!properties.getObservations().isEnabled()) {
			return ErlangObservations.NOOP;
		}
		return new ErlangObservations(registry.getIfUnique(() -> ObservationRegistry.NOOP),
				clientConvention.getIfUnique(), serverConvention.getIfUnique());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "erlang", name = "node")
	static class NodeConfiguration {

		@Bean
		@ConditionalOnMissingBean(ErlangConnectionDetails.class)
		PropertiesErlangConnectionDetails erlangConnectionDetails(ErlangProperties properties) {
			return new PropertiesErlangConnectionDetails(properties);
		}

		/**
		 * The node, created but not started: {@link ErlangNodeLifecycle} binds and registers it
		 * when the context starts.
		 */
		@Bean
		@ConditionalOnMissingBean
		ErlangNode erlangNode(ErlangProperties properties, ErlangConnectionDetails connectionDetails,
				ObjectProvider<ErlangNodeConfigCustomizer> customizers, ApplicationEventPublisher publisher,
				ObjectProvider<SslBundles> sslBundles, Environment environment) {
			NodeConfig.Builder builder = configBuilder(properties, connectionDetails);
			builder.virtualThreads(Threading.VIRTUAL.isActive(environment));
			String bundle = properties.getSsl().getBundle();
			if (bundle != null && !bundle.isBlank()) {
				SslBundle ssl = sslBundle(bundle, sslBundles.getIfAvailable());
				builder.tls(ssl.createSslContext())
					.tlsRestrictions(ssl.getOptions().getEnabledProtocols(), ssl.getOptions().getCiphers())
					.tlsVerifyHostname(properties.getSsl().isVerifyHostname());
			}
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			ErlangNode node = ErlangNode.create(build(builder));
			node.addNodeListener(new ErlangNodeEventPublisher(node, publisher));
			return node;
		}

		@Bean
		@ConditionalOnMissingBean
		ErlangNodeLifecycle erlangNodeLifecycle(ErlangNode node, ErlangProperties properties, Environment environment) {
			return new ErlangNodeLifecycle(node, shutdownTimeout(properties, environment));
		}

		@Bean
		@ConditionalOnMissingBean
		ErlangNodeLifecycle.Gate erlangNodeGate(ErlangNode node, ErlangProperties properties, Environment environment) {
			return new ErlangNodeLifecycle.Gate(node, shutdownTimeout(properties, environment));
		}

		@Bean
		@ConditionalOnMissingBean(ErlangOperations.class)
		ErlangNodeTemplate erlangNodeTemplate(ErlangNode node, ErlangConverter converter, ErlangProperties properties,
				ErlangConnectionDetails connectionDetails, ObjectProvider<ErlangNodeTemplateCustomizer> customizers,
				ErlangObservations observations) {
			ErlangNodeTemplate template = new ErlangNodeTemplate(node, converter);
			template.setObservations(observations);
			template.setDefaultPeer(connectionDetails.getDefaultPeer());
			template.setDefaultTimeout(properties.getRpc().getTimeout());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(template));
			return template;
		}

		@Bean
		@ConditionalOnMissingBean
		ErlangEndpointRegistry erlangEndpointRegistry(ErlangNode node, ErlangConverter converter,
				ObjectProvider<ErlangErrorHandler> errorHandler, ErlangProperties properties, Environment environment,
				ErlangObservations observations) {
			ErlangEndpointRegistry registry = new ErlangEndpointRegistry(node, converter, errorHandler.getIfUnique());
			registry.setShutdownTimeout(shutdownTimeout(properties, environment));
			registry.setObservations(observations);
			return registry;
		}

		@Bean
		@ConditionalOnMissingBean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static ErlangAnnotationBeanPostProcessor erlangAnnotationBeanPostProcessor() {
			return new ErlangAnnotationBeanPostProcessor();
		}

		@Bean
		@ConditionalOnProperty(prefix = "erlang", name = "keep-alive", havingValue = "true", matchIfMissing = true)
		static SmartLifecycle erlangNodeKeepAlive() {
			return new ErlangNodeKeepAlive();
		}

		@Bean
		@ConditionalOnMissingBean
		ErlangPeerConnector erlangPeerConnector(ErlangNode node, ErlangProperties properties,
				ErlangConnectionDetails connectionDetails) {
			return new ErlangPeerConnector(node, connectionDetails.getPeers(),
					properties.getReconnect().getInitialBackoff(),
					properties.getReconnect().getMaxBackoff());
		}

		@Bean
		@ConditionalOnMissingBean
		ErlangClusterFollower erlangClusterFollower(ErlangNode node, ErlangProperties properties) {
			for (String seed : properties.getDiscovery().getDns()) {
				try {
					NodeName.parse(seed);
				}
				catch (IllegalArgumentException ex) {
					throw new ErlangNodeStartException("Invalid DNS seed in erlang.discovery.dns: " + ex.getMessage() + ".",
							"Give it as alive@hostname, e.g. 'shop@shop-headless.default.svc.cluster.local'.", ex);
				}
			}
			Duration interval = properties.getCluster().getInterval();
			if (interval == null || interval.isNegative() || interval.isZero()) {
				throw new ErlangNodeStartException("erlang.cluster.interval must be positive, not " + interval + ".",
						"Set erlang.cluster.interval to a positive duration, e.g. 2s.", null);
			}
			return new ErlangClusterFollower(node, properties.getCluster().isFollow(), properties.getDiscovery().getDns(),
					properties.getCluster().getInterval());
		}

		private static SslBundle sslBundle(String bundle, SslBundles bundles) {
			SslBundle ssl;
			try {
				if (bundles == null) {
					throw new NoSuchSslBundleException(bundle, "no SSL bundles are configured");
				}
				ssl = bundles.getBundle(bundle);
				ssl.createSslContext();
			}
			catch (NoSuchSslBundleException | IllegalStateException ex) {
				throw new ErlangNodeStartException("erlang.ssl.bundle names the SSL bundle '" + bundle
						+ "', which cannot be used: " + ex.getMessage() + ".",
						"Define it under spring.ssl.bundle.pem." + bundle + " (or .jks." + bundle
								+ ") with this node's certificate and key and the CA of its peers, or unset erlang.ssl.bundle.",
						ex);
			}
			if (ssl.getStores() == null || ssl.getStores().getTrustStore() == null) {
				// without one, the JDK's public CAs would be trusted: any certificate bought anywhere
				throw new ErlangNodeStartException("erlang.ssl.bundle names the SSL bundle '" + bundle
						+ "', which has no trust store: peers would be checked against the JDK's public CAs.",
						"Add the CA of the cluster's certificates to the bundle (spring.ssl.bundle.pem." + bundle
								+ ".truststore.certificate, or .jks." + bundle + ".truststore).",
						null);
			}
			return ssl;
		}

		/**
		 * How long calls into Java get to finish when the node stops: {@code erlang.shutdown-timeout},
		 * at most Boot's {@code spring.lifecycle.timeout-per-shutdown-phase}.
		 */
		static Duration shutdownTimeout(ErlangProperties properties, Environment environment) {
			Duration phase = Binder.get(environment)
				.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
				.orElse(Duration.ofSeconds(30));
			Duration own = properties.getShutdownTimeout();
			return (own.compareTo(phase) <= 0) ? own : phase;
		}

		private static NodeConfig.Builder configBuilder(ErlangProperties properties,
				ErlangConnectionDetails connectionDetails) {
			NodeConfig.Builder builder;
			try {
				NodeName.parse(properties.getNode());
				builder = NodeConfig.builder(properties.getNode());
			}
			catch (IllegalArgumentException ex) {
				throw new ErlangNodeStartException("Invalid Erlang node name (erlang.node): " + ex.getMessage() + ".",
						"Set erlang.node to a name Erlang accepts, e.g. 'app@127.0.0.1' (long name) or 'app@myhost' "
								+ "(short name).",
						ex);
			}
			builder.cookie(cookie(properties, connectionDetails))
				.hidden(properties.isHidden())
				.listenPort(properties.getPort())
				.epmdMode(properties.getEpmd().getMode())
				.netTicktime(properties.getNetTicktime())
				.connectTimeout(properties.getConnectTimeout())
				.maxFrameSize((int) Math.min(Integer.MAX_VALUE, properties.getLimits().getMaxFrameSize().toBytes()))
				.outboundQueueCapacity(properties.getLimits().getOutboundQueue())
				.mailboxCapacity(properties.getLimits().getMailboxCapacity())
				.maxPendingHandshakes(properties.getLimits().getMaxPendingHandshakes())
				.maxConnections(properties.getLimits().getMaxConnections())
				.maxConcurrentCalls(properties.getLimits().getMaxConcurrentCalls())
				.allow(properties.getAllow())
				.shutdownTimeout(properties.getShutdownTimeout())
				.deferAccept(true);
			if (properties.getEpmd().getPort() != null) {
				builder.epmdPort(properties.getEpmd().getPort());
			}
			builder.epmdAddress(properties.getEpmd().getAddress());
			return builder;
		}

		private static NodeConfig build(NodeConfig.Builder builder) {
			try {
				return builder.build();
			}
			catch (IllegalArgumentException ex) {
				throw new ErlangNodeStartException("Invalid Erlang node settings: " + ex.getMessage() + ".",
						"Correct the erlang.* property named in the message (erlang.allow, erlang.limits.*, "
								+ "erlang.net-ticktime).",
						ex);
			}
		}

		private static String cookie(ErlangProperties properties, ErlangConnectionDetails connectionDetails) {
			String cookie = connectionDetails.getCookie();
			if (cookie != null && !cookie.isBlank()) {
				return cookie;
			}
			try {
				cookie = Files.readString(properties.getCookieFile(), StandardCharsets.ISO_8859_1).strip();
				if (!cookie.isEmpty()) {
					return cookie;
				}
			}
			catch (IOException ex) {
				throw new ErlangNodeStartException(
						"No Erlang cookie: erlang.cookie is not set and the cookie file " + properties.getCookieFile()
								+ " cannot be read (" + ex.getClass().getSimpleName() + ").",
						"Set erlang.cookie (e.g. from an environment variable ERLANG_COOKIE), or create a readable "
								+ "cookie file and point erlang.cookie-file at it.",
						null);
			}
			throw new ErlangNodeStartException("No Erlang cookie: the cookie file " + properties.getCookieFile()
					+ " is empty.", "Set erlang.cookie, or put the cookie in the cookie file.", null);
		}

	}

}
