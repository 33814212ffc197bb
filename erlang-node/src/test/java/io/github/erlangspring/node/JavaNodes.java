package io.github.erlangspring.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts Java nodes for a test (unique names, the cookie of a given Erlang peer) and stops them
 * afterwards: those started in a test method after it, the others after the class.
 */
public class JavaNodes implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private final List<ErlangNode> classNodes = new ArrayList<>();

	private final List<ErlangNode> methodNodes = new ArrayList<>();

	private boolean inMethod;

	public ErlangNode start(String cookie) {
		return start(cookie, UnaryOperator.identity());
	}

	public ErlangNode start(ErlangPeer peer) {
		return start(peer.cookie());
	}

	public ErlangNode start(String cookie, UnaryOperator<NodeConfig.Builder> customizer) {
		return start("esb_j", cookie, customizer);
	}

	/** Starts a node whose name starts with {@code prefix} (names decide simultaneous connects). */
	public synchronized ErlangNode start(String prefix, String cookie, UnaryOperator<NodeConfig.Builder> customizer) {
		ErlangRuntime.ensureEpmd();
		NodeConfig config = customizer
			.apply(NodeConfig.builder(ErlangPeer.uniqueAlive(prefix) + "@127.0.0.1").cookie(cookie))
			.build();
		try {
			ErlangNode node = ErlangNode.start(config);
			(this.inMethod ? this.methodNodes : this.classNodes).add(node);
			return node;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public synchronized void beforeEach(ExtensionContext context) {
		this.inMethod = true;
	}

	@Override
	public synchronized void afterEach(ExtensionContext context) {
		this.inMethod = false;
		this.methodNodes.forEach((node) -> node.close(java.time.Duration.ZERO));
		this.methodNodes.clear();
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		this.classNodes.forEach((node) -> node.close(java.time.Duration.ZERO));
		this.classNodes.clear();
	}

}
