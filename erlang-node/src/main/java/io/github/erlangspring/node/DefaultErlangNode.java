package io.github.erlangspring.node;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.node.dist.DistConnection;
import io.github.erlangspring.node.dist.DistFlags;
import io.github.erlangspring.node.dist.LocalIdentity;
import io.github.erlangspring.node.epmd.EmbeddedEpmd;
import io.github.erlangspring.node.epmd.EpmdClient;
import io.github.erlangspring.node.epmd.Registration;

/**
 * The node: wires the connection layer, the process table and the RPC server together and owns
 * their threads.
 */
final class DefaultErlangNode implements ErlangNode {

	private static final Logger logger = LoggerFactory.getLogger(DefaultErlangNode.class);

	private final NodeConfig config;

	private final ServerSocket server;

	private final EmbeddedEpmd embeddedEpmd;

	private final Registration registration;

	private final ProcessTable table;

	private final Connections connections;

	private final Signals signals;

	private final RpcServer rpcServer;

	private final RemoteCalls calls;

	private final ClientProcess client;

	private final ExecutorService ownExecutor;

	private final ExecutorService connectPool;

	private final ScheduledThreadPoolExecutor scheduler;

	private final ProcessScheduler processScheduler;

	private final AtomicBoolean running = new AtomicBoolean(true);

	private final AtomicBoolean draining = new AtomicBoolean();

	private DefaultErlangNode(NodeConfig config, ServerSocket server, EmbeddedEpmd embeddedEpmd,
			Registration registration, EpmdClient epmd) {
		this.config = config;
		this.server = server;
		this.embeddedEpmd = embeddedEpmd;
		this.registration = registration;
		String name = config.name().toString();
		long flags = DistFlags.OURS | (config.hidden() ? 0 : DistFlags.PUBLISHED);
		LocalIdentity identity = new LocalIdentity(name, registration.creation(), flags, config.cookie());
		this.connectPool = Executors.newCachedThreadPool(Threads.factory("erlang-connect", config.virtualThreads()));
		this.scheduler = new ScheduledThreadPoolExecutor(1, daemon("erlang-timer"));
		this.scheduler.setRemoveOnCancelPolicy(true);
		this.processScheduler = ProcessScheduler.create(config.virtualThreads(), this.scheduler);
		this.ownExecutor = (config.executor() != null) ? null : rpcPool(config.virtualThreads());
		Executor executor = (config.executor() != null) ? config.executor() : this.ownExecutor;
		this.table = new ProcessTable(name, registration.creation());
		this.connections = new Connections(config, identity, epmd, this.connectPool, this.scheduler);
		this.signals = new Signals(this.table, this.connections);
		this.rpcServer = new RpcServer(this.table, this.signals, executor);
		this.rpcServer.runOnReader(config.executor() == null);
		this.rpcServer.limitConcurrentCalls(config.maxConcurrentCalls());
		this.client = new ClientProcess(this.table.newPid(), this.signals);
		this.table.add(this.client);
		LocalProcess groupLeader = SystemProcesses.start(this.table, this.signals, this.processScheduler, null,
				new SystemProcesses.GroupLeader(this.signals));
		SystemProcesses.startPermanent(this.table, this.signals, this.processScheduler, "net_kernel",
				new SystemProcesses.NetKernel(name), this.running::get);
		SystemProcesses.startPermanent(this.table, this.signals, this.processScheduler, "rex",
				new SystemProcesses.Rex(this.signals, this.rpcServer), this.running::get);
		this.calls = new RemoteCalls(this.table, this.signals, this.connections, this.scheduler, this.connectPool,
				this.client.pid,
				groupLeader.pid);
		this.connections.start(server, new Dispatcher(this.table, this.signals, this.connections, this.rpcServer));
	}

	static ErlangNode start(NodeConfig config) throws IOException {
		ServerSocket server = (config.sslContext() != null)
				? config.sslContext().getServerSocketFactory().createServerSocket() : new ServerSocket();
		if (server instanceof javax.net.ssl.SSLServerSocket tls) {
			tls.setNeedClientAuth(true);
			config.configureTls(tls);
		}
		try {
			server.setReuseAddress(true);
			server.bind(new InetSocketAddress(config.listenPort()));
		}
		catch (IOException ex) {
			server.close();
			throw new BindException("cannot listen for distribution on port " + config.listenPort() + ": "
					+ ex.getMessage());
		}
		EpmdClient epmd = new EpmdClient(config.epmdPort(), config.connectTimeout());
		EmbeddedEpmd embedded = null;
		Registration registration;
		try {
			if (config.epmdMode() != EpmdMode.OFF) {
				// one this JVM left serving other nodes, e.g. before a restart of the context
				embedded = EmbeddedEpmd.adopt(config.epmdPort());
			}
			if (config.epmdMode() == EpmdMode.ALWAYS) {
				if (embedded == null) {
					embedded = startEmbeddedEpmd(config.epmdAddress(), config.epmdPort());
				}
				registration = register(epmd, config, server.getLocalPort());
			}
			else {
				try {
					registration = register(epmd, config, server.getLocalPort());
				}
				catch (ConnectException ex) {
					if (config.epmdMode() == EpmdMode.OFF) {
						throw new ConnectException("no EPMD is running on port " + config.epmdPort()
								+ " and the embedded EPMD is off (epmd mode OFF)");
					}
					try {
						embedded = startEmbeddedEpmd(config.epmdAddress(), config.epmdPort());
					}
					catch (BindException raced) {
						logger.debug("Another EPMD took port {} meanwhile", config.epmdPort());
					}
					registration = register(epmd, config, server.getLocalPort());
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			server.close();
			if (embedded != null) {
				embedded.release(config.name().alive());
			}
			throw ex;
		}
		DefaultErlangNode node = new DefaultErlangNode(config, server, embedded, registration, epmd);
		logger.info("Erlang node {} started (port {}, creation {}, EPMD {}{})", node.name(), node.port(),
				node.creation(), config.epmdPort(), (embedded != null) ? ", embedded" : "");
		return node;
	}

	private static EmbeddedEpmd startEmbeddedEpmd(java.net.InetAddress address, int port) throws IOException {
		// by default all interfaces, as epmd: nodes on other hosts look this node up here
		EmbeddedEpmd epmd = EmbeddedEpmd.start((address != null) ? address : new InetSocketAddress(0).getAddress(),
				port);
		logger.info("Started embedded EPMD on port {}", epmd.port());
		return epmd;
	}

	private static Registration register(EpmdClient epmd, NodeConfig config, int port) throws IOException {
		return epmd.register(config.name().alive(), port, config.hidden());
	}

	/**
	 * Threads for calls into Java: one per concurrent call, reused most-recently-idle first (a
	 * warm thread takes the next call). How many calls run at once is bounded by the
	 * {@link RpcServer} (beyond, a spawn is refused with {@code system_limit}), not by the pool.
	 */
	private static ExecutorService rpcPool(boolean virtual) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, virtual ? 1 : 30, TimeUnit.SECONDS,
				new java.util.concurrent.SynchronousQueue<>(), Threads.factory("erlang-rpc", virtual));
		return pool;
	}

	static ThreadFactory daemon(String prefix) {
		return Threads.factory(prefix, false);
	}

	@Override
	public String name() {
		return this.table.nodeName();
	}

	@Override
	public int creation() {
		return this.registration.creation();
	}

	@Override
	public int port() {
		return this.server.getLocalPort();
	}

	@Override
	public boolean runsEmbeddedEpmd() {
		return this.embeddedEpmd != null;
	}

	@Override
	public int epmdPort() {
		return this.config.epmdPort();
	}

	@Override
	public NodeObserver observer() {
		return this.config.observer();
	}

	@Override
	public boolean isRunning() {
		return this.running.get();
	}

	@Override
	public void startAccepting() {
		this.connections.startAccepting();
	}

	@Override
	public boolean isAccepting() {
		return this.connections.isAccepting();
	}

	@Override
	public Mailbox createMailbox() {
		checkRunning();
		DefaultMailbox mailbox = new DefaultMailbox(this.table.newPid(), this.signals, this.config.mailboxCapacity());
		this.table.add(mailbox);
		return mailbox;
	}

	@Override
	public Mailbox spawn(ProcessHandler handler, SpawnOptions options) {
		checkRunning();
		java.util.Objects.requireNonNull(handler, "handler");
		ScheduledProcess process = new ScheduledProcess(this.table.newPid(), this.signals,
				this.config.mailboxCapacity(), handler, this.processScheduler);
		process.trapExits(options.trapExits());
		if (options.linkTo() != null) {
			process.link(options.linkTo().self());
		}
		if (options.name() != null) {
			if (!this.table.register(options.name(), process)) {
				process.terminate(Terms.NOPROC);
				throw new IllegalStateException("name '" + options.name() + "' is already registered on " + name());
			}
			this.table.add(process);
			this.config.observer().mailboxRegistered(options.name(), process);
		}
		else {
			this.table.add(process);
		}
		return process;
	}

	/** @return the scheduler of this node's spawned processes */
	ProcessScheduler processScheduler() {
		return this.processScheduler;
	}

	@Override
	public Mailbox createMailbox(String name) {
		checkRunning();
		DefaultMailbox mailbox = new DefaultMailbox(this.table.newPid(), this.signals, this.config.mailboxCapacity());
		if (!this.table.register(name, mailbox)) {
			throw new IllegalStateException("name '" + name + "' is already registered on " + name());
		}
		this.table.add(mailbox);
		this.config.observer().mailboxRegistered(name, mailbox);
		return mailbox;
	}

	@Override
	public Set<String> registeredNames() {
		return Set.copyOf(this.table.registered().keySet());
	}

	@Override
	public Set<String> connectedNodes() {
		return Set.copyOf(this.connections.up().keySet());
	}

	@Override
	public Map<String, ConnectionInfo> connections() {
		Map<String, ConnectionInfo> info = new TreeMap<>();
		for (DistConnection c : this.connections.up().values()) {
			info.put(c.peer().name(), new ConnectionInfo(c.peer().name(), c.peer().hidden(), c.connectedAt(),
					c.messagesIn(), c.messagesOut(), c.bytesIn(), c.bytesOut(), c.queuedFrames()));
		}
		return info;
	}

	@Override
	public boolean ping(String node, Duration timeout) {
		if (node.equals(name())) {
			return true;
		}
		try {
			OtpErlangObject answer = this.calls
				.genCall(new OtpErlangAtom("net_kernel"), node, Terms.tuple(Terms.atom("is_auth"), Terms.atom(name())),
						timeout)
				.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
			return Terms.isAtom(answer, "yes");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (Exception ex) {
			logger.debug("ping {} failed: {}", node, ex.toString());
			return false;
		}
	}

	@Override
	public void send(OtpErlangPid to, OtpErlangObject message) {
		this.signals.send(this.client.pid, to, message);
	}

	@Override
	public void send(String name, String node, OtpErlangObject message) {
		this.signals.send(this.client.pid, name, node, message);
	}

	@Override
	public CompletableFuture<OtpErlangObject> call(OtpErlangPid server, OtpErlangObject request, Duration timeout) {
		return this.calls.genCall(server, server.node(), request, timeout);
	}

	@Override
	public CompletableFuture<OtpErlangObject> call(String name, String node, OtpErlangObject request,
			Duration timeout) {
		return this.calls.genCall(new OtpErlangAtom(name), node, request, timeout);
	}

	@Override
	public void cast(OtpErlangPid server, OtpErlangObject request) {
		this.calls.genCast(server, server.node(), request);
	}

	@Override
	public void cast(String name, String node, OtpErlangObject request) {
		this.calls.genCast(new OtpErlangAtom(name), node, request);
	}

	@Override
	public CompletableFuture<OtpErlangObject> rpc(String node, String module, String function, OtpErlangList args,
			Duration timeout) {
		if (node.equals(name())) {
			return localCall(new RpcCall(module, function, java.util.Arrays.asList(args.elements()), this.client.pid))
				.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		NodeObserver observer = this.config.observer();
		if (observer == NodeObserver.NONE) {
			return this.calls.erpcCall(node, module, function, args, timeout);
		}
		long start = System.nanoTime();
		CompletableFuture<OtpErlangObject> call = this.calls.erpcCall(node, module, function, args, timeout);
		call.whenComplete((result, failure) -> observer.rpcCalled(node, module, function, args.arity(), failure,
				System.nanoTime() - start));
		return call;
	}

	private CompletableFuture<OtpErlangObject> localCall(RpcCall call) {
		if (!this.rpcServer.tryEnter()) {
			return CompletableFuture.failedFuture(new ErlangRemoteException(ErlangClass.ERROR, Terms.atom("system_limit"), null));
		}
		try {
			return CompletableFuture.supplyAsync(() -> {
				try {
					Outcome outcome = Outcome.invoke(this.rpcServer.functions(), call);
					if (outcome.isReturn()) {
						return outcome.value();
					}
					throw new ErlangRemoteException(outcome.erlangClass(), outcome.value(), outcome.stack());
				}
				finally {
					this.rpcServer.exit();
				}
			}, this.rpcServer.executor());
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			this.rpcServer.exit();
			return CompletableFuture.failedFuture(new ErlangRemoteException(ErlangClass.ERROR, Terms.atom("system_limit"), null));
		}
	}

	@Override
	public void rpcCast(String node, String module, String function, OtpErlangList args) {
		this.calls.erpcCast(node, module, function, args);
	}

	@Override
	public void setFunctionTable(FunctionTable functions) {
		this.rpcServer.functions(ObservedFunctions.of(functions, this.config.observer()));
	}

	@Override
	public void addNodeListener(NodeListener listener) {
		this.connections.addListener(listener);
	}

	@Override
	public void removeNodeListener(NodeListener listener) {
		this.connections.removeListener(listener);
	}

	private void checkRunning() {
		if (!this.running.get()) {
			throw new IllegalStateException("node " + name() + " is stopped");
		}
	}

	@Override
	public void close() {
		close(this.config.shutdownTimeout());
	}

	@Override
	public void start() {
		if (!this.running.get()) {
			throw new IllegalStateException("node " + name() + " has stopped; ErlangNode.create(...) makes a node that starts again");
		}
	}

	@Override
	public void drain(Duration grace) {
		if (!this.running.get() || !this.draining.compareAndSet(false, true)) {
			return;
		}
		this.registration.close();
		this.connections.stopAccepting();
		this.rpcServer.refuseNewCalls();
		awaitRunningCalls(grace);
	}

	@Override
	public ThreadFactory threads(String prefix) {
		return Threads.factory(prefix, this.config.virtualThreads());
	}

	@Override
	public void close(Duration grace) {
		drain(grace);
		if (!this.running.compareAndSet(true, false)) {
			return;
		}
		for (LocalProcess process : this.table.processes()) {
			if (process != this.client) {
				process.terminate(Terms.SHUTDOWN);
			}
		}
		this.connections.close();
		if (this.ownExecutor != null) {
			this.ownExecutor.shutdownNow();
		}
		this.connectPool.shutdownNow();
		this.processScheduler.close();
		this.scheduler.shutdownNow();
		if (this.embeddedEpmd != null) {
			this.embeddedEpmd.release(this.config.name().alive());
		}
		logger.info("Erlang node {} stopped", name());
	}

	private void awaitRunningCalls(Duration grace) {
		long deadline = System.nanoTime() + grace.toNanos();
		while (System.nanoTime() < deadline && (this.rpcServer.running() > 0
				|| this.table.processes().stream().anyMatch((p) -> p instanceof RpcServer.SpawnedCall))) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public String toString() {
		return "ErlangNode[" + name() + (this.running.get() ? "" : ", stopped") + "]";
	}

}
