package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * State shared with Erlang ({@code erlang.state.*}): the {@code StateTemplate} and its backend.
 */
@ConfigurationProperties("erlang.state")
public class ErlangStateProperties {

	/**
	 * Whether to configure the StateTemplate.
	 */
	private boolean enabled = true;

	/**
	 * Where the state lives: "local" (a table inside this Java node), "ets" (an ETS table on an
	 * Erlang node, owned by spring_bridge) or "mnesia" (a Mnesia table replicated on the Erlang
	 * nodes of erlang.state.nodes).
	 */
	private Backend backend = Backend.LOCAL;

	/**
	 * Erlang node that holds the ETS table (backend "ets"). Default: erlang.default-peer.
	 */
	private String node;

	/**
	 * Erlang nodes that hold replicas of the Mnesia table (backend "mnesia"), the first one
	 * preferred; calls go on through the others when one cannot be reached.
	 */
	private List<String> nodes = new ArrayList<>();

	/**
	 * Name of the ETS or Mnesia table (backends "ets" and "mnesia").
	 */
	private String table = "spring_state";

	/**
	 * Time allowed for each state call to an Erlang node (backends "ets" and "mnesia"). Default:
	 * erlang.rpc.timeout.
	 */
	private Duration timeout;

	/**
	 * Time between sweeps that delete expired entries (backend "local"); reads never return
	 * expired entries regardless.
	 */
	private Duration purgeInterval = Duration.ofSeconds(1);

	/**
	 * Whether Erlang can reach the state through this Java node, as the module named by
	 * erlang.state.module (rpc:call(JavaNode, spring_state, get, [Key])).
	 */
	private boolean expose = true;

	/**
	 * Module name under which Erlang reaches the state on this Java node.
	 */
	private String module = "spring_state";

	public List<String> getNodes() {
		return this.nodes;
	}

	public void setNodes(List<String> nodes) {
		this.nodes = nodes;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Backend getBackend() {
		return this.backend;
	}

	public void setBackend(Backend backend) {
		this.backend = backend;
	}

	public String getNode() {
		return this.node;
	}

	public void setNode(String node) {
		this.node = node;
	}

	public String getTable() {
		return this.table;
	}

	public void setTable(String table) {
		this.table = table;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public Duration getPurgeInterval() {
		return this.purgeInterval;
	}

	public void setPurgeInterval(Duration purgeInterval) {
		this.purgeInterval = purgeInterval;
	}

	public boolean isExpose() {
		return this.expose;
	}

	public void setExpose(boolean expose) {
		this.expose = expose;
	}

	public String getModule() {
		return this.module;
	}

	public void setModule(String module) {
		this.module = module;
	}

	/**
	 * Where the state lives.
	 */
	public enum Backend {

		/** A concurrent table inside the Java node. */
		LOCAL,

		/** An ETS table on an Erlang node. */
		ETS,

		/** A Mnesia table replicated on several Erlang nodes. */
		MNESIA

	}

}
