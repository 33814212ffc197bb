package io.github.erlangspring.node;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;

/**
 * A node of an Erlang cluster, running in this JVM: registered with EPMD, accepting and making
 * distribution connections, hosting {@link Mailbox mailboxes}, serving Java functions to
 * Erlang's {@code rpc}/{@code erpc}, and calling Erlang with {@code gen_server} and
 * {@code erpc} semantics.
 * <p>
 * Unlike JInterface's {@code OtpNode}, it honours monitors, links and aliases and serves spawn
 * requests, so {@code rpc:call}, {@code erpc:call}, {@code gen_server:call} and
 * {@code erlang:monitor} from Erlang behave as they do against an Erlang node.
 */
public interface ErlangNode extends AutoCloseable {

	/**
	 * Starts a node: binds its listener, registers with EPMD (starting an embedded EPMD when so
	 * configured) and starts serving.
	 * @param config the settings
	 * @return the running node
	 * @throws IOException when the listener cannot bind or EPMD registration fails
	 */
	static ErlangNode start(NodeConfig config) throws IOException {
		ErlangNode node = create(config);
		node.start();
		return node;
	}

	/**
	 * Creates a node that has not started: it neither listens nor is registered until
	 * {@link #start()}. It can be stopped ({@link #close(Duration)}) and started again any number
	 * of times; each start is a new incarnation of the node (a new creation, as an Erlang node
	 * that restarts), so pids and mailboxes of an earlier one are gone. Listeners and the function
	 * table carry over.
	 * @param config the settings
	 * @return the node, stopped
	 */
	static ErlangNode create(NodeConfig config) {
		return new RestartableErlangNode(config);
	}

	/**
	 * Starts the node: binds its listener, registers with EPMD (starting or adopting an
	 * embedded EPMD when so configured) and starts serving. Does nothing when it runs.
	 * @throws IOException when the listener cannot bind or EPMD registration fails
	 */
	void start() throws IOException;

	/**
	 * The first steps of stopping: leaves EPMD, stops accepting connections and refuses new
	 * calls into Java (their callers get {@code noconnection}), then waits up to {@code grace}
	 * for the calls running to finish. Processes and connections stay until
	 * {@link #close(Duration)}, which the node still needs. Does nothing when not running.
	 * @param grace how long to let running calls finish
	 */
	void drain(Duration grace);

	/**
	 * A factory for threads that work for this node (process loops, subscriptions): virtual
	 * threads when the node was configured with {@link NodeConfig.Builder#virtualThreads(boolean)}
	 * and the JVM has them, daemon platform threads otherwise.
	 * @param prefix the threads' name prefix
	 * @return the factory
	 */
	java.util.concurrent.ThreadFactory threads(String prefix);

	/** @return the full node name, e.g. {@code app@127.0.0.1} */
	String name();

	/** @return the creation EPMD assigned to this incarnation */
	int creation();

	/** @return the port distribution connections are accepted on */
	int port();

	/** @return whether this node runs the EPMD it registered with */
	boolean runsEmbeddedEpmd();

	/** @return the port of the EPMD this node registered with (and looks peers up in) */
	int epmdPort();

	/**
	 * The observer of this node's events ({@link NodeConfig.Builder#addObserver}), to which
	 * components built on the node (process endpoints, pg scopes, state backends) report theirs.
	 * @return the observer, {@link NodeObserver#NONE} when there is none
	 */
	NodeObserver observer();

	/** @return whether the node is running (started and not closed) */
	boolean isRunning();

	/**
	 * Starts accepting incoming connections, when the node was configured to
	 * {@link NodeConfig.Builder#deferAccept(boolean) defer} them; otherwise does nothing.
	 */
	void startAccepting();

	/** @return whether incoming connections are accepted */
	boolean isAccepting();

	/**
	 * Creates an anonymous mailbox.
	 * @return the mailbox
	 */
	Mailbox createMailbox();

	/**
	 * Creates a mailbox registered under {@code name}.
	 * @param name the registered name
	 * @return the mailbox
	 * @throws IllegalStateException when the name is taken
	 */
	Mailbox createMailbox(String name);

	/**
	 * Spawns a process run by {@code handler}: it owns no thread; the node's scheduler hands it
	 * its messages one at a time, in order, when it has some (see {@link ProcessScheduler}). It
	 * has a pid, takes part in links and monitors, and exits as an Erlang process does: when its
	 * handler throws, when it {@link Mailbox#close(OtpErlangObject) closes}, or on an exit signal.
	 * Its {@link Mailbox#receive()} is not for use: messages go to the handler.
	 * @param handler what it does with its messages
	 * @param options name, link, exit trapping
	 * @return the process
	 * @throws IllegalStateException when the name is taken or the node is stopped
	 */
	default Mailbox spawn(ProcessHandler handler, SpawnOptions options) {
		throw new UnsupportedOperationException("this node does not spawn processes");
	}

	/**
	 * Spawns an anonymous process run by {@code handler}, as {@link #spawn(ProcessHandler, SpawnOptions)}.
	 * @param handler what it does with its messages
	 * @return the process
	 */
	default Mailbox spawn(ProcessHandler handler) {
		return spawn(handler, SpawnOptions.DEFAULT);
	}

	/** @return the registered names of this node's processes */
	Set<String> registeredNames();

	/** @return the nodes this node is connected to */
	Set<String> connectedNodes();

	/** @return a snapshot of each connection's state */
	Map<String, ConnectionInfo> connections();

	/**
	 * Connects to a node if needed and checks it answers, as {@code net_adm:ping/1}.
	 * @param node the node name
	 * @param timeout how long to wait
	 * @return whether the node answered ({@code pong})
	 */
	boolean ping(String node, Duration timeout);

	/**
	 * Sends a message to a pid from this node's client process. Asynchronous, as Erlang's {@code !}: it never waits for a
	 * connection. To a node not connected yet, the message waits on the connection being set up
	 * (in the background) and leaves, in order, once it is; if it cannot be set up, the message is
	 * dropped, as Erlang drops it.
	 */
	void send(OtpErlangPid to, OtpErlangObject message);

	/**
	 * Sends a message to a registered name on a node; asynchronous, as
	 * {@link #send(OtpErlangPid, OtpErlangObject)}.
	 */
	void send(String name, String node, OtpErlangObject message);

	/**
	 * {@code gen_server:call(Pid, Request, Timeout)}. The future fails with
	 * {@link ErlangTimeoutException}, {@link ErlangNoProcessException},
	 * {@link ErlangNodeDownException}, or {@link ErlangRemoteException} when the server exits
	 * during the call.
	 */
	CompletableFuture<OtpErlangObject> call(OtpErlangPid server, OtpErlangObject request, Duration timeout);

	/** {@code gen_server:call({Name, Node}, Request, Timeout)}; fails as {@link #call(OtpErlangPid, OtpErlangObject, Duration)}. */
	CompletableFuture<OtpErlangObject> call(String name, String node, OtpErlangObject request, Duration timeout);

	/** {@code gen_server:cast(Pid, Request)}; asynchronous, as {@link #send(OtpErlangPid, OtpErlangObject)}. */
	void cast(OtpErlangPid server, OtpErlangObject request);

	/** {@code gen_server:cast({Name, Node}, Request)}. */
	void cast(String name, String node, OtpErlangObject request);

	/**
	 * {@code erpc:call(Node, Module, Function, Args, Timeout)}. The future holds the result, or
	 * fails with {@link ErlangRemoteException} carrying the Erlang class, reason and stacktrace,
	 * {@link ErlangTimeoutException} or {@link ErlangNodeDownException}.
	 */
	CompletableFuture<OtpErlangObject> rpc(String node, String module, String function, OtpErlangList args,
			Duration timeout);

	/**
	 * {@code erpc:cast(Node, Module, Function, Args)}: runs the function, ignores the result.
	 * Asynchronous, as {@link #send(OtpErlangPid, OtpErlangObject)}: dropped when the node cannot
	 * be reached.
	 */
	void rpcCast(String node, String module, String function, OtpErlangList args);

	/**
	 * Sets the Java functions Erlang can call on this node.
	 * @param functions the table ({@code null}: none)
	 */
	void setFunctionTable(FunctionTable functions);

	/** Adds a listener for nodes coming up and going down. */
	void addNodeListener(NodeListener listener);

	/** Removes a listener. */
	void removeNodeListener(NodeListener listener);

	/**
	 * Stops the node: it leaves EPMD and stops accepting, new calls into it are refused, calls
	 * in progress get up to {@code grace} to finish (the rest are ended: their callers get an
	 * error), then every process exits with {@code shutdown}, so links and monitors see it, and
	 * connections close. A node from {@link #create(NodeConfig)} can be started again.
	 * @param grace how long to let running calls finish
	 */
	void close(Duration grace);

	/** Stops the node, giving running calls the configured {@link NodeConfig#shutdownTimeout()}. */
	@Override
	void close();

	/**
	 * State of one connection.
	 * @param node the peer
	 * @param hidden whether the peer is hidden
	 * @param connectedAt epoch millis of the connection
	 * @param messagesIn frames received
	 * @param messagesOut frames sent
	 * @param bytesIn bytes received
	 * @param bytesOut bytes sent
	 * @param queuedFrames frames waiting to be written
	 */
	record ConnectionInfo(String node, boolean hidden, long connectedAt, long messagesIn, long messagesOut,
			long bytesIn, long bytesOut, int queuedFrames) {
	}

}
