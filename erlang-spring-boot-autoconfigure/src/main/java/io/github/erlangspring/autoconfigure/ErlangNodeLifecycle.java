package io.github.erlangspring.autoconfigure;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.time.Duration;

import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.epmd.EpmdException;

import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the {@link ErlangNode} with the application context, in the phases that
 * put shutdown in this order: the node leaves EPMD and stops accepting, then the calls into Java
 * that run get the shutdown timeout to finish (the {@link Gate}, first to stop); the processes
 * exit with {@code shutdown} (the {@link ErlangEndpointRegistry} and the pg scopes, next); the
 * connections close (this bean, last). Every step can be started again.
 * <p>
 * This is also the place to tie work to the node's life: it starts before anything that uses
 * the node and stops after all of it.
 */
public class ErlangNodeLifecycle implements SmartLifecycle {

	/** Phase of the node: starts first and stops last of the Erlang beans. */
	public static final int NODE_PHASE = ErlangEndpointRegistry.PHASE - 2;

	/** Phase of the pg scopes: after the node, before the processes and subscriptions. */
	public static final int SCOPES_PHASE = ErlangEndpointRegistry.PHASE - 1;

	/** Phase of the {@link Gate}: starts last, stops first (shuts peers out). */
	public static final int GATE_PHASE = ErlangEndpointRegistry.PHASE + 2;

	private final ErlangNode node;

	private final Duration shutdownTimeout;

	/**
	 * @param node the node
	 * @param shutdownTimeout how long running calls get to finish when it stops
	 */
	public ErlangNodeLifecycle(ErlangNode node, Duration shutdownTimeout) {
		this.node = node;
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Binds the node's port and registers it with EPMD.
	 * @throws ErlangNodeStartException when it cannot
	 */
	@Override
	public void start() {
		try {
			this.node.start();
		}
		catch (BindException ex) {
			throw new ErlangNodeStartException("The Erlang node " + this.node.name() + " could not start: "
					+ ex.getMessage() + ".",
					"Set erlang.port to a free port (or 0 for any), or erlang.epmd.mode=auto if the EPMD port is "
							+ "the one taken.",
					ex);
		}
		catch (ConnectException ex) {
			throw new ErlangNodeStartException("The Erlang node " + this.node.name() + " could not register: "
					+ ex.getMessage() + ".",
					"Start EPMD (epmd -daemon), or set erlang.epmd.mode=auto to run one inside the application.", ex);
		}
		catch (EpmdException ex) {
			throw new ErlangNodeStartException("The Erlang node " + this.node.name() + " could not register with "
					+ "EPMD: " + ex.getMessage() + ".", "Stop the other node of that name, or choose another erlang.node.",
					ex);
		}
		catch (IOException ex) {
			throw new ErlangNodeStartException("The Erlang node " + this.node.name() + " could not start: " + ex + ".",
					"Check erlang.* settings and that EPMD (port " + this.node.epmdPort() + ") is reachable.", ex);
		}
	}

	/** Ends what is left: processes exit with {@code shutdown}, connections close. */
	@Override
	public void stop() {
		this.node.close(this.shutdownTimeout);
	}

	@Override
	public boolean isRunning() {
		return this.node.isRunning();
	}

	@Override
	public int getPhase() {
		return NODE_PHASE;
	}

	/**
	 * Makes sure the node lets peers in once everything they may call runs (the
	 * {@link ErlangEndpointRegistry} does so as soon as its endpoints run; this covers a node
	 * without one), and closes the node first when the context stops: leaves EPMD, stops
	 * accepting, refuses new calls into Java and lets those that run finish within the shutdown
	 * timeout.
	 */
	public static class Gate implements SmartLifecycle {

		private final ErlangNode node;

		private final Duration shutdownTimeout;

		private volatile boolean running;

		/**
		 * @param node the node
		 * @param shutdownTimeout how long running calls get to finish
		 */
		public Gate(ErlangNode node, Duration shutdownTimeout) {
			this.node = node;
			this.shutdownTimeout = shutdownTimeout;
		}

		@Override
		public void start() {
			this.node.startAccepting();
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
			this.node.drain(this.shutdownTimeout);
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return GATE_PHASE;
		}

	}

}
