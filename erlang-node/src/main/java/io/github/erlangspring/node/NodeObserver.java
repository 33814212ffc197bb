package io.github.erlangspring.node;

import java.util.Locale;

/**
 * Hears what a node does, for metrics and monitoring: connections coming and going, calls served
 * and made, messages handled. Register one with {@link NodeConfig.Builder#addObserver(NodeObserver)};
 * components built on a node (process endpoints, pg scopes, state backends) report through
 * {@link ErlangNode#observer()}.
 * <p>
 * Every method has an empty default, so an implementation overrides only what it needs, and
 * methods added later do not break it. They are called on the node's own threads (connection
 * readers, RPC workers, handler threads), often on hot paths: they must be quick, must not block
 * and must not call back into the node. An exception thrown by an observer is logged and
 * otherwise ignored. A node without observers pays nothing beyond a comparison per event.
 * <p>
 * Arguments are chosen to be usable as metric tags: node names, module and function names of
 * functions that exist, registered process names, and enums for kinds and outcomes (each with a
 * {@code tag()}: the lower-case word metrics use).
 */
public interface NodeObserver {

	/** An observer that does nothing; what a node without observers reports to. */
	NodeObserver NONE = new NodeObserver() {
	};

	/**
	 * A connection to another node is established (either side connected).
	 * @param node the peer
	 * @param hidden whether the peer is a hidden node
	 */
	default void connectionUp(String node, boolean hidden) {
	}

	/**
	 * A connection to another node closed. Called once per connection that was up, after it has
	 * left {@link ErlangNode#connections()}.
	 * @param last the connection's final state, with its final message and byte counts
	 * @param reason why: its {@link DisconnectReason#kind() kind} and a detail in words
	 */
	default void connectionDown(ErlangNode.ConnectionInfo last, DisconnectReason reason) {
	}

	/**
	 * A peer was silent for the whole {@code net_ticktime} and its connection is being closed
	 * (followed by {@link #connectionDown}).
	 * @param node the peer
	 */
	default void tickTimeout(String node) {
	}

	/**
	 * Messages or signals to a node were dropped before they reached its connection: the
	 * connection could not be set up (those sent while it was being set up), or too many were
	 * already waiting for it. Sends are asynchronous, as in Erlang: the sender is not told.
	 * @param node the peer
	 * @param count how many were dropped
	 */
	default void sendDropped(String node, int count) {
	}

	/**
	 * A peer sent a frame this node rejects (too large, of an unknown type, undecodable, or an
	 * invalid control message); the connection is being closed.
	 * @param node the peer
	 * @param reason what was wrong, in words
	 */
	default void malformedFrame(String node, String reason) {
	}

	/**
	 * A Java function finished running for Erlang ({@code rpc}, {@code erpc} or a local
	 * {@link ErlangNode#rpc} call to this node). Calls of functions that do not exist are not
	 * reported (they are answered with {@code undef} at once).
	 * @param module the module
	 * @param function the function
	 * @param arity the arity
	 * @param outcome how it ended: it returned, or raised an exception of that class
	 * @param nanos how long the function ran
	 */
	default void rpcServed(String module, String function, int arity, RpcOutcome outcome, long nanos) {
	}

	/**
	 * An {@code erpc:call} this node made on another node completed.
	 * @param node the node called
	 * @param module the module
	 * @param function the function
	 * @param arity the arity
	 * @param failure {@code null} when it returned; otherwise the exception the caller got
	 * ({@link ErlangRemoteException}, {@link ErlangTimeoutException},
	 * {@link ErlangNodeDownException}...)
	 * @param nanos how long the call took
	 */
	default void rpcCalled(String node, String module, String function, int arity, Throwable failure, long nanos) {
	}

	/**
	 * A mailbox was created under a registered name.
	 * @param name the registered name
	 * @param mailbox the mailbox
	 */
	default void mailboxRegistered(String name, Mailbox mailbox) {
	}

	/**
	 * A registered process of this node handled one message (reported by the code that handles
	 * it, such as an {@code @ErlangProcess} endpoint).
	 * @param process the registered name
	 * @param kind what the message was
	 * @param outcome {@link Result#OK OK}, {@link Result#ERROR ERROR} (the handler failed) or
	 * {@link Result#UNMATCHED UNMATCHED} (no handler took the message)
	 * @param nanos how long handling took
	 */
	default void messageHandled(String process, MessageKind kind, Result outcome, long nanos) {
	}

	/**
	 * A message was published to a {@code pg} group (reported by the pub/sub layer).
	 * @param scope the pg scope
	 * @param recipients how many members it was sent to
	 */
	default void published(String scope, int recipients) {
	}

	/**
	 * A published message reached a local subscriber of a {@code pg} group (reported by the
	 * pub/sub layer).
	 * @param scope the pg scope
	 */
	default void delivered(String scope) {
	}

	/**
	 * An operation on shared state finished (reported by the state layer).
	 * @param backend the backend, e.g. {@code local} or {@code ets}
	 * @param operation the operation, e.g. {@code get}, {@code put}, {@code increment}
	 * @param outcome {@link Result#OK OK} or {@link Result#ERROR ERROR}
	 * @param nanos how long it took
	 */
	default void stateOperation(String backend, String operation, Result outcome, long nanos) {
	}

	/** How a Java function run for Erlang ended. */
	enum RpcOutcome {

		/** It returned a value. */
		RETURN,

		/** It raised {@code throw}. */
		THROW,

		/** It raised {@code exit}. */
		EXIT,

		/** It raised {@code error}, or failed in Java. */
		ERROR;

		private final String tag = name().toLowerCase(Locale.ROOT);

		/** @return {@code return}, {@code throw}, {@code exit} or {@code error} */
		public String tag() {
			return this.tag;
		}

		/**
		 * @param erlangClass the class of the exception raised
		 * @return the outcome of raising it
		 */
		public static RpcOutcome of(ErlangClass erlangClass) {
			return switch (erlangClass) {
				case ERROR -> ERROR;
				case EXIT -> EXIT;
				case THROW -> THROW;
			};
		}

	}

	/** What a message handled by a registered process was. */
	enum MessageKind {

		/** A {@code gen_server:call}. */
		CALL,

		/** A {@code gen_server:cast}. */
		CAST,

		/** Any other message. */
		INFO;

		private final String tag = name().toLowerCase(Locale.ROOT);

		/** @return {@code call}, {@code cast} or {@code info} */
		public String tag() {
			return this.tag;
		}

	}

	/** How handling a message or an operation ended. */
	enum Result {

		/** It succeeded. */
		OK,

		/** It failed. */
		ERROR,

		/** No handler took the message. */
		UNMATCHED;

		private final String tag = name().toLowerCase(Locale.ROOT);

		/** @return {@code ok}, {@code error} or {@code unmatched} */
		public String tag() {
			return this.tag;
		}

	}

}
