package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Loading of {@code spring_bridge}, the Erlang side of registered functions, hooks and the
 * {@code ets} state backend ({@code erlang.bridge.*}).
 */
@ConfigurationProperties("erlang.bridge")
public class ErlangBridgeProperties {

	/**
	 * Whether to load and start spring_bridge (shipped in this jar) on erlang.default-peer, the ets
	 * state node, the hooks node and erlang.bridge.nodes each time they connect, when they lack it.
	 */
	private boolean autoLoad = true;

	/**
	 * Further nodes to load spring_bridge onto when they connect.
	 */
	private List<String> nodes = new ArrayList<>();

	/**
	 * Time allowed for each step of loading spring_bridge onto a node.
	 */
	private Duration timeout = Duration.ofSeconds(10);

	public boolean isAutoLoad() {
		return this.autoLoad;
	}

	public void setAutoLoad(boolean autoLoad) {
		this.autoLoad = autoLoad;
	}

	public List<String> getNodes() {
		return this.nodes;
	}

	public void setNodes(List<String> nodes) {
		this.nodes = nodes;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
