package io.github.erlangspring.autoconfigure;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.annotation.ErlangAnnotationBeanPostProcessor;
import io.github.erlangspring.annotation.ErlangEndpointRegistry;
import io.github.erlangspring.annotation.ErlangErrorHandler;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.convert.ErlangTypeConverter;
import io.github.erlangspring.core.ErlangNodeEventPublisher;
import io.github.erlangspring.core.ErlangNodeTemplate;
import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.core.ErlangPeerConnector;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.node.NodeName;
import io.github.erlangspring.node.epmd.EpmdException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

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
	ErlangConverter erlangConverter(ObjectProvider<ErlangTypeConverter<?>> converters) {
		return new DefaultErlangConverter(converters.orderedStream().toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "erlang", name = "node")
	static class NodeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ErlangNode erlangNode(ErlangProperties properties, ObjectProvider<ErlangNodeConfigCustomizer> customizers,
				ApplicationEventPublisher publisher, ObjectProvider<SslBundles> sslBundles) {
			NodeConfig.Builder builder = configBuilder(properties);
			String bundle = properties.getSsl().getBundle();
			if (bundle != null && !bundle.isBlank()) {
				SslBundle ssl = sslBundle(bundle, sslBundles.getIfAvailable());
				builder.tls(ssl.createSslContext())
					.tlsRestrictions(ssl.getOptions().getEnabledProtocols(), ssl.getOptions().getCiphers())
					.tlsVerifyHostname(properties.getSsl().isVerifyHostname());
			}
			customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			ErlangNode node = start(build(builder));
			node.addNodeListener(new ErlangNodeEventPublisher(node, publisher));
			return node;
		}

		@Bean
		@ConditionalOnMissingBean(ErlangOperations.class)
		ErlangNodeTemplate erlangNodeTemplate(ErlangNode node, ErlangConverter converter, ErlangProperties properties,
				ObjectProvider<ErlangNodeTemplateCustomizer> customizers) {
			ErlangNodeTemplate template = new ErlangNodeTemplate(node, converter);
			template.setDefaultPeer(properties.getDefaultPeer());
			template.setDefaultTimeout(properties.getRpc().getTimeout());
			customizers.orderedStream().forEach((customizer) -> customizer.customize(template));
			return template;
		}

		@Bean
		@ConditionalOnMissingBean
		ErlangEndpointRegistry erlangEndpointRegistry(ErlangNode node, ErlangConverter converter,
				ObjectProvider<ErlangErrorHandler> errorHandler) {
			return new ErlangEndpointRegistry(node, converter, errorHandler.getIfUnique());
		}

		@Bean
		@ConditionalOnMissingBean
		@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
		static ErlangAnnotationBeanPostProcessor erlangAnnotationBeanPostProcessor() {
			return new ErlangAnnotationBeanPostProcessor();
		}

		@Bean
		@ConditionalOnMissingBean
		ErlangPeerConnector erlangPeerConnector(ErlangNode node, ErlangProperties properties) {
			return new ErlangPeerConnector(node, properties.getConnect(), properties.getReconnect().getInitialBackoff(),
					properties.getReconnect().getMaxBackoff());
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

		private static NodeConfig.Builder configBuilder(ErlangProperties properties) {
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
			builder.cookie(cookie(properties))
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

		private static String cookie(ErlangProperties properties) {
			if (properties.getCookie() != null && !properties.getCookie().isBlank()) {
				return properties.getCookie();
			}
			try {
				String cookie = Files.readString(properties.getCookieFile(), StandardCharsets.ISO_8859_1).strip();
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

		private static ErlangNode start(NodeConfig config) {
			try {
				return ErlangNode.start(config);
			}
			catch (BindException ex) {
				throw new ErlangNodeStartException("The Erlang node " + config.name() + " could not start: "
						+ ex.getMessage() + ".",
						"Set erlang.port to a free port (or 0 for any), or erlang.epmd.mode=auto if the EPMD port is "
								+ "the one taken.",
						ex);
			}
			catch (ConnectException ex) {
				throw new ErlangNodeStartException("The Erlang node " + config.name() + " could not register: "
						+ ex.getMessage() + ".",
						"Start EPMD (epmd -daemon), or set erlang.epmd.mode=auto to run one inside the application.",
						ex);
			}
			catch (EpmdException ex) {
				throw new ErlangNodeStartException("The Erlang node " + config.name() + " could not register with "
						+ "EPMD: " + ex.getMessage() + ".",
						"Stop the other node of that name, or choose another erlang.node.", ex);
			}
			catch (IOException ex) {
				throw new ErlangNodeStartException("The Erlang node " + config.name() + " could not start: " + ex + ".",
						"Check erlang.* settings and that EPMD (port " + config.epmdPort() + ") is reachable.", ex);
			}
		}

	}

}
