package io.github.erlangspring.pubsub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.node.ErlangNode;

/**
 * The pg scopes a node takes part in, each with its {@link PubSubTemplate}: one default scope
 * (usually {@code pg}, the one Erlang's kernel starts) and any others. Scopes are independent
 * overlay networks, as in pg: a topic of one scope is unrelated to the same topic of another.
 */
public final class PubSubScopes implements AutoCloseable {

	private final String defaultScope;

	private final Map<String, PgScope> scopes;

	private final Map<String, PubSubTemplate> templates;

	private PubSubScopes(String defaultScope, Map<String, PgScope> scopes, ErlangConverter converter) {
		this.defaultScope = defaultScope;
		this.scopes = scopes;
		Map<String, PubSubTemplate> templates = new LinkedHashMap<>();
		scopes.forEach((name, scope) -> templates.put(name, new PubSubTemplate(scope, converter)));
		this.templates = templates;
	}

	/**
	 * Starts the scopes on a node.
	 * @param node the running node
	 * @param converter converts topics and messages of the templates
	 * @param defaultScope the default scope's name
	 * @param otherScopes names of further scopes (the default one and duplicates are ignored)
	 * @return the running scopes
	 * @throws IllegalStateException when a scope name is already registered on the node
	 */
	public static PubSubScopes start(ErlangNode node, ErlangConverter converter, String defaultScope,
			Collection<String> otherScopes) {
		PubSubScopes scopes = create(node, converter, defaultScope, otherScopes);
		scopes.start();
		return scopes;
	}

	/**
	 * Creates the scopes without starting them: their templates exist at once and work from
	 * {@link #start()} on. They can be stopped ({@link #close()}) and started again, for example
	 * with the node; subscriptions end when they stop.
	 * @param node the node, started or not
	 * @param converter converts topics and messages of the templates
	 * @param defaultScope the default scope's name
	 * @param otherScopes names of further scopes (the default one and duplicates are ignored)
	 * @return the scopes, stopped
	 */
	public static PubSubScopes create(ErlangNode node, ErlangConverter converter, String defaultScope,
			Collection<String> otherScopes) {
		Set<String> names = new LinkedHashSet<>();
		names.add(defaultScope);
		names.addAll(otherScopes);
		Map<String, PgScope> scopes = new LinkedHashMap<>();
		for (String name : names) {
			scopes.put(name, new RestartablePgScope(node, name));
		}
		return new PubSubScopes(defaultScope, scopes, converter);
	}

	/**
	 * Starts every scope on the node, which must run; does nothing for scopes that run.
	 * @throws IllegalStateException when a scope name is already registered on the node
	 */
	public synchronized void start() {
		try {
			for (PgScope scope : this.scopes.values()) {
				((RestartablePgScope) scope).start();
			}
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/** @return whether the scopes run */
	public boolean isRunning() {
		return this.scopes.values().stream().allMatch(PgScope::isRunning);
	}

	/** @return the default scope's name */
	public String defaultScope() {
		return this.defaultScope;
	}

	/** @return the names of all scopes, the default one first */
	public Set<String> names() {
		return this.scopes.keySet();
	}

	/** @return the template of the default scope */
	public PubSubTemplate template() {
		return this.templates.get(this.defaultScope);
	}

	/**
	 * @param scope a scope name
	 * @return the template of that scope
	 * @throws IllegalArgumentException when the node does not run that scope
	 */
	public PubSubTemplate template(String scope) {
		PubSubTemplate template = this.templates.get(scope);
		if (template == null) {
			throw new IllegalArgumentException("No pg scope '" + scope + "' on this node; its scopes are "
					+ this.scopes.keySet() + " (add it to erlang.pubsub.scopes)");
		}
		return template;
	}

	/**
	 * @param scope a scope name
	 * @return that scope
	 * @throws IllegalArgumentException when the node does not run that scope
	 */
	public PgScope scope(String scope) {
		return template(scope).getPgScope();
	}

	/** Ends the templates' subscriptions, then stops the scopes; {@link #start()} starts them again. */
	@Override
	public synchronized void close() {
		List<PubSubTemplate> all = new ArrayList<>(this.templates.values());
		all.forEach(PubSubTemplate::close);
		this.scopes.values().forEach(PgScope::close);
	}

	@Override
	public String toString() {
		return "PubSubScopes" + this.scopes.keySet();
	}

}
