package io.github.erlangspring.autoconfigure;

import io.github.erlangspring.pubsub.PubSubScopes;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the pg scopes after the node and stops them after the subscriptions ended; each start
 * after a stop runs new scope processes on the node's new incarnation.
 */
class PubSubScopesLifecycle implements SmartLifecycle {

	private final PubSubScopes scopes;

	private volatile boolean running;

	PubSubScopesLifecycle(PubSubScopes scopes) {
		this.scopes = scopes;
	}

	@Override
	public void start() {
		this.scopes.start();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.scopes.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ErlangNodeLifecycle.SCOPES_PHASE;
	}

}
