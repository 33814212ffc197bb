package io.github.erlangspring.sample;

import java.nio.file.Path;

import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample application running for a test class as a node next to a real Erlang peer (with
 * {@code demo_peer}'s code and {@code pg}), connected to it, on a random web port; both stop after
 * the class.
 */
final class RunningSample implements BeforeAllCallback, AfterAllCallback {

	private ErlangPeer peer;

	private ConfigurableApplicationContext app;

	private String node;

	@Override
	public void beforeAll(ExtensionContext context) {
		ErlangRuntime.ensureEpmd();
		this.peer = ErlangPeer.builder()
			.codePath(Path.of("target/erlang/ebin"))
			.args("-kernel", "start_pg", "true")
			.start();
		this.node = ErlangPeer.uniqueAlive("sample") + "@127.0.0.1";
		this.app = SpringApplication.run(SampleApplication.class, "--server.port=0", "--erlang.node=" + this.node,
				"--erlang.cookie=" + this.peer.cookie(), "--erlang.default-peer=" + this.peer.nodeName(),
				"--erlang.connect=" + this.peer.nodeName());
	}

	@Override
	public void afterAll(ExtensionContext context) {
		try {
			if (this.app != null) {
				this.app.close();
			}
		}
		finally {
			if (this.peer != null) {
				this.peer.close();
			}
		}
	}

	ErlangPeer peer() {
		return this.peer;
	}

	ConfigurableApplicationContext app() {
		return this.app;
	}

	/** @return the sample's node name */
	String node() {
		return this.node;
	}

	/** @return the sample's web port */
	int port() {
		return ((WebServerApplicationContext) this.app).getWebServer().getPort();
	}

}
