package io.github.erlangspring.node;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;

/**
 * A node that can be started and stopped any number of times: each start runs a new
 * {@link DefaultErlangNode} (a new incarnation, with a new creation); what the application set
 * on the node (listeners, the function table) carries over.
 */
final class RestartableErlangNode implements ErlangNode {

	private final NodeConfig config;

	private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();

	private final NodeListener fanOut = new NodeListener() {

		@Override
		public void nodeUp(String node, boolean hidden) {
			RestartableErlangNode.this.listeners.forEach((listener) -> listener.nodeUp(node, hidden));
		}

		@Override
		public void nodeDown(String node, DisconnectReason reason) {
			RestartableErlangNode.this.listeners.forEach((listener) -> listener.nodeDown(node, reason));
		}

	};

	private volatile FunctionTable functions;

	private volatile DefaultErlangNode current;

	RestartableErlangNode(NodeConfig config) {
		this.config = config;
	}

	@Override
	public synchronized void start() throws IOException {
		DefaultErlangNode running = this.current;
		if (running != null && running.isRunning()) {
			return;
		}
		DefaultErlangNode started = (DefaultErlangNode) DefaultErlangNode.start(this.config);
		if (this.functions != null) {
			started.setFunctionTable(this.functions);
		}
		started.addNodeListener(this.fanOut);
		this.current = started;
	}

	/** @return the incarnation running now, for what only a running node can do */
	private DefaultErlangNode running() {
		return live().orElseThrow(() -> new IllegalStateException("node " + this.config.name() + " is not running"));
	}

	/** @return the incarnation running now, if any */
	private Optional<DefaultErlangNode> live() {
		DefaultErlangNode node = this.current;
		return (node != null && node.isRunning()) ? Optional.of(node) : Optional.empty();
	}

	@Override
	public String name() {
		return this.config.name().toString();
	}

	@Override
	public int creation() {
		DefaultErlangNode node = this.current;
		return (node != null) ? node.creation() : 0;
	}

	@Override
	public int port() {
		DefaultErlangNode node = this.current;
		return (node != null) ? node.port() : -1;
	}

	@Override
	public boolean runsEmbeddedEpmd() {
		return live().map(DefaultErlangNode::runsEmbeddedEpmd).orElse(false);
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
		return live().isPresent();
	}

	@Override
	public void startAccepting() {
		running().startAccepting();
	}

	@Override
	public boolean isAccepting() {
		return live().map(DefaultErlangNode::isAccepting).orElse(false);
	}

	@Override
	public Mailbox createMailbox() {
		return running().createMailbox();
	}

	@Override
	public Mailbox createMailbox(String name) {
		return running().createMailbox(name);
	}

	@Override
	public Mailbox spawn(ProcessHandler handler, SpawnOptions options) {
		return running().spawn(handler, options);
	}

	@Override
	public Set<String> registeredNames() {
		return live().map(DefaultErlangNode::registeredNames).orElse(Set.of());
	}

	@Override
	public Set<String> connectedNodes() {
		return live().map(DefaultErlangNode::connectedNodes).orElse(Set.of());
	}

	@Override
	public Map<String, ConnectionInfo> connections() {
		return live().map(DefaultErlangNode::connections).orElse(Map.of());
	}

	@Override
	public boolean ping(String node, Duration timeout) {
		return live().map((running) -> running.ping(node, timeout)).orElse(false);
	}

	@Override
	public void send(OtpErlangPid to, OtpErlangObject message) {
		running().send(to, message);
	}

	@Override
	public void send(String name, String node, OtpErlangObject message) {
		running().send(name, node, message);
	}

	@Override
	public CompletableFuture<OtpErlangObject> call(OtpErlangPid server, OtpErlangObject request, Duration timeout) {
		return running().call(server, request, timeout);
	}

	@Override
	public CompletableFuture<OtpErlangObject> call(String name, String node, OtpErlangObject request,
			Duration timeout) {
		return running().call(name, node, request, timeout);
	}

	@Override
	public void cast(OtpErlangPid server, OtpErlangObject request) {
		running().cast(server, request);
	}

	@Override
	public void cast(String name, String node, OtpErlangObject request) {
		running().cast(name, node, request);
	}

	@Override
	public CompletableFuture<OtpErlangObject> rpc(String node, String module, String function, OtpErlangList args,
			Duration timeout) {
		return running().rpc(node, module, function, args, timeout);
	}

	@Override
	public void rpcCast(String node, String module, String function, OtpErlangList args) {
		running().rpcCast(node, module, function, args);
	}

	@Override
	public void setFunctionTable(FunctionTable functions) {
		this.functions = functions;
		DefaultErlangNode node = this.current;
		if (node != null) {
			node.setFunctionTable(functions);
		}
	}

	@Override
	public void addNodeListener(NodeListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public void removeNodeListener(NodeListener listener) {
		this.listeners.remove(listener);
	}

	@Override
	public void drain(Duration grace) {
		DefaultErlangNode node = this.current;
		if (node != null) {
			node.drain(grace);
		}
	}

	@Override
	public ThreadFactory threads(String prefix) {
		return Threads.factory(prefix, this.config.virtualThreads());
	}

	@Override
	public void close(Duration grace) {
		DefaultErlangNode node = this.current;
		if (node != null) {
			node.close(grace);
		}
	}

	@Override
	public void close() {
		close(this.config.shutdownTimeout());
	}

	@Override
	public String toString() {
		return "ErlangNode[" + name() + (isRunning() ? "" : ", stopped") + "]";
	}

}
