package io.github.erlangspring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Publish/subscribe on Erlang's pg ({@code erlang.pubsub.*}).
 */
@ConfigurationProperties("erlang.pubsub")
public class ErlangPubSubProperties {

	/**
	 * Whether the node takes part in pg: runs the pg scopes, offers the PubSubTemplate and serves
	 * @ErlangSubscribe methods.
	 */
	private boolean enabled = true;

	/**
	 * pg scope of the PubSubTemplate and of @ErlangSubscribe methods that name none. "pg" is the
	 * scope Erlang's kernel starts with "-kernel start_pg true".
	 */
	private String scope = "pg";

	/**
	 * Further pg scopes to run, e.g. for @ErlangSubscribe(scope = "..."). Each is an independent
	 * overlay network, as in pg.
	 */
	private List<String> scopes = new ArrayList<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getScope() {
		return this.scope;
	}

	public void setScope(String scope) {
		this.scope = scope;
	}

	public List<String> getScopes() {
		return this.scopes;
	}

	public void setScopes(List<String> scopes) {
		this.scopes = scopes;
	}

}
