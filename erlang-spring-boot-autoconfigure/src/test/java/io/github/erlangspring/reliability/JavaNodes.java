package io.github.erlangspring.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts Java nodes with unique names for a test and stops them afterwards: those started in a
 * test method after it, the others after the class.
 */
final class JavaNodes implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private final List<ErlangNode> classNodes = new ArrayList<>();

	private final List<ErlangNode> methodNodes = new ArrayList<>();

	private boolean inMethod;

	ErlangNode start(String cookie) {
		return start(cookie, UnaryOperator.identity());
	}

	synchronized ErlangNode start(String cookie, UnaryOperator<NodeConfig.Builder> customizer) {
		ErlangRuntime.ensureEpmd();
		NodeConfig config = customizer
			.apply(NodeConfig.builder(ErlangPeer.uniqueAlive("esb_rel") + "@127.0.0.1").cookie(cookie))
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
		this.methodNodes.forEach((node) -> node.close(Duration.ZERO));
		this.methodNodes.clear();
	}

	@Override
	public synchronized void afterAll(ExtensionContext context) {
		this.classNodes.forEach((node) -> node.close(Duration.ZERO));
		this.classNodes.clear();
	}

}
