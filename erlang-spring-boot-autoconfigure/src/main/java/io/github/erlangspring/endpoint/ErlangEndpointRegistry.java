package io.github.erlangspring.endpoint;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.annotation.HandleCast;
import io.github.erlangspring.annotation.HandleInfo;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.handler.ErlangErrorHandler;
import io.github.erlangspring.handler.ProcessHandlers;
import io.github.erlangspring.handler.RpcMethod;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.observation.ErlangObservations;

import org.springframework.context.SmartLifecycle;

/**
 * Owns the running {@link ErlangProcess} endpoints and the {@link ErlangRpc} function table:
 * filled by {@link ErlangAnnotationBeanPostProcessor}, started and stopped with the application
 * context (early to start, late to stop, so web requests can use them throughout). Once they
 * run, it lets the node {@link ErlangNode#startAccepting() accept} incoming connections, so a
 * peer never reaches the application before what it calls exists.
 */
public class ErlangEndpointRegistry implements SmartLifecycle {

	/** Starts before, and stops after, the embedded web server. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

	private final ErlangNode node;

	private final ErlangConverter converter;

	private final ErlangErrorHandler errorHandler;

	private final List<ProcessEndpoint> processes = new CopyOnWriteArrayList<>();

	private final RpcEndpoints functions = new RpcEndpoints();

	private final List<io.github.erlangspring.node.FunctionTable> extraFunctions = new CopyOnWriteArrayList<>();

	private volatile ExecutorService executor;

	private volatile Duration shutdownTimeout = Duration.ofSeconds(5);

	private volatile boolean running;

	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	/**
	 * @param observations observes the calls into {@code @ErlangRpc} methods and the messages
	 * {@code @ErlangProcess} beans handle (set before endpoints are registered)
	 */
	public void setObservations(ErlangObservations observations) {
		this.observations = observations;
	}

	public ErlangEndpointRegistry(ErlangNode node, ErlangConverter converter, ErlangErrorHandler errorHandler) {
		this.node = node;
		this.converter = converter;
		this.errorHandler = (errorHandler != null) ? errorHandler : ErlangErrorHandler.RETHROW;
	}

	/**
	 * Sets how long stopping lets the handlers that run finish before the processes exit with
	 * {@code shutdown} (default 5 s).
	 * @param shutdownTimeout the grace period
	 */
	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Adds a process endpoint for a bean.
	 * @param name the registered name
	 * @param concurrency how many messages may be handled at once
	 * @param bean the bean
	 * @param type the bean's user class
	 * @throws IllegalStateException when its handlers are ambiguous or the name is taken
	 */
	public void registerProcess(String name, int concurrency, Object bean, Class<?> type) {
		if (concurrency < 1) {
			throw new IllegalStateException("@ErlangProcess(\"" + name + "\") concurrency must be at least 1");
		}
		for (ProcessEndpoint existing : this.processes) {
			if (existing.name().equals(name)) {
				throw new IllegalStateException("Two @ErlangProcess beans are named '" + name + "'");
			}
		}
		ProcessHandlers calls = ProcessHandlers.collect(bean, type, HandleCall.class, name);
		ProcessHandlers casts = ProcessHandlers.collect(bean, type, HandleCast.class, name);
		ProcessHandlers infos = ProcessHandlers.collect(bean, type, HandleInfo.class, name);
		if (calls.isEmpty() && casts.isEmpty() && infos.isEmpty()) {
			throw new IllegalStateException("@ErlangProcess(\"" + name + "\") on " + type.getName()
					+ " has no @HandleCall, @HandleCast or @HandleInfo method");
		}
		ProcessEndpoint endpoint = new ProcessEndpoint(name, concurrency, calls, casts, infos, this.converter,
				this.errorHandler);
		endpoint.setObservations(this.observations);
		endpoint.describeAs(bean, type);
		this.processes.add(endpoint);
		if (this.running) {
			endpoint.start(this.node, this.executor);
		}
	}

	/**
	 * Exposes a method as {@code module:function/arity}.
	 * @throws IllegalStateException when another method serves the same function
	 */
	public void registerRpc(String module, String function, Object bean, Method method) {
		RpcMethod rpcMethod = new RpcMethod(bean, method, module, function, this.converter, this.errorHandler);
		rpcMethod.setObservations(this.observations);
		this.functions.add(rpcMethod);
	}

	/** @return the registered names of the process endpoints */
	public Set<String> getProcessNames() {
		Map<String, Mailbox> byName = new TreeMap<>();
		this.processes.forEach((endpoint) -> byName.put(endpoint.name(), endpoint.mailbox()));
		return byName.keySet();
	}

	/**
	 * @param name a process endpoint's name
	 * @return its mailbox, or {@code null} when not running
	 */
	public Mailbox getMailbox(String name) {
		for (ProcessEndpoint endpoint : this.processes) {
			if (endpoint.name().equals(name)) {
				return endpoint.mailbox();
			}
		}
		return null;
	}

	/** @return {@code module:function/arity} of every exposed method */
	public Set<String> getRpcSignatures() {
		return this.functions.signatures();
	}

	/** @return the function table of the exposed methods */
	public io.github.erlangspring.node.FunctionTable getFunctionTable() {
		return this.functions;
	}

	/**
	 * Serves another table's functions too (for example {@code spring_state}), after the
	 * {@link ErlangRpc} methods, which win when both have a function.
	 * @param table the functions to add
	 */
	public void addFunctionTable(io.github.erlangspring.node.FunctionTable table) {
		this.extraFunctions.add(table);
	}

	private final TracedCalls tracedCalls = new TracedCalls(this::lookupUntraced);

	private io.github.erlangspring.node.RpcFunction lookup(String module, String function, int arity) {
		io.github.erlangspring.node.RpcFunction found = lookupUntraced(module, function, arity);
		return (found != null) ? found : this.tracedCalls.lookup(module, function, arity);
	}

	private io.github.erlangspring.node.RpcFunction lookupUntraced(String module, String function, int arity) {
		io.github.erlangspring.node.RpcFunction found = this.functions.lookup(module, function, arity);
		for (int i = 0; found == null && i < this.extraFunctions.size(); i++) {
			found = this.extraFunctions.get(i).lookup(module, function, arity);
		}
		return found;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		java.util.concurrent.ThreadFactory threads = this.node.threads("erlang-handler");
		this.executor = (threads != null) ? Executors.newCachedThreadPool(threads) : Executors.newCachedThreadPool();
		this.node.setFunctionTable(this::lookup);
		for (ProcessEndpoint endpoint : this.processes) {
			endpoint.start(this.node, this.executor);
		}
		this.running = true;
		// Everything Erlang may call is in place: let peers in.
		this.node.startAccepting();
	}

	/**
	 * Stops every process: each takes no more messages, lets its running handlers finish
	 * within the {@link #setShutdownTimeout(Duration) shutdown timeout} (all processes share
	 * it), then exits with {@code shutdown}. {@link #start()} starts them again.
	 */
	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		long deadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		List<Thread> stopping = new java.util.ArrayList<>();
		for (ProcessEndpoint endpoint : this.processes) {
			Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			Thread thread = new Thread(() -> endpoint.stop(left), "erlang-process-stop-" + endpoint.name());
			thread.setDaemon(true);
			thread.start();
			stopping.add(thread);
		}
		for (Thread thread : stopping) {
			try {
				thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		this.executor.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
