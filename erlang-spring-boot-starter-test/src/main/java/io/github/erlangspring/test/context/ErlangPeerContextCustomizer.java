package io.github.erlangspring.test.context;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the peer of one test context, names the context's node and registers the peer and its
 * connection details. Equal for equal annotation attributes, so such contexts are cached once.
 */
final class ErlangPeerContextCustomizer implements ContextCustomizer {

	private final String nodePrefix;

	private final String peerPrefix;

	private final List<String> codePath;

	private final List<String> args;

	private final boolean connect;

	ErlangPeerContextCustomizer(AutoConfigureErlangPeer annotation) {
		this.nodePrefix = annotation.nodePrefix();
		this.peerPrefix = annotation.peerPrefix();
		this.codePath = List.of(annotation.codePath());
		this.args = List.of(annotation.args());
		this.connect = annotation.connect();
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		ErlangRuntime.ensureEpmd();
		ErlangPeer.Builder builder = ErlangPeer.builder().namePrefix(this.peerPrefix);
		for (String path : this.codePath) {
			builder.codePath(Path.of(context.getEnvironment().resolveRequiredPlaceholders(path)));
		}
		if (!this.args.isEmpty()) {
			builder.args(this.args.toArray(String[]::new));
		}
		ErlangPeer peer = builder.start();
		String node = ErlangPeer.uniqueAlive(this.nodePrefix) + "@127.0.0.1";
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("erlangPeer", Map.of("erlang.node", node)));
		DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
		beanFactory.registerSingleton("erlangPeer", peer);
		beanFactory.registerSingleton("erlangPeerConnectionDetails", new ErlangPeerConnectionDetails(peer, this.connect));
		// registered before any bean of the context: destroyed after all of them, so the
		// application's node has stopped when the peer goes
		beanFactory.registerDisposableBean("erlangPeerShutdown", peer::close);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ErlangPeerContextCustomizer that && this.nodePrefix.equals(that.nodePrefix)
				&& this.peerPrefix.equals(that.peerPrefix) && this.codePath.equals(that.codePath)
				&& this.args.equals(that.args) && this.connect == that.connect;
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(new Object[] { this.nodePrefix, this.peerPrefix, this.codePath, this.args, this.connect });
	}

}
