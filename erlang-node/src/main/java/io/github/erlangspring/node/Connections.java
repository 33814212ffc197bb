package io.github.erlangspring.node;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.dist.DistConnection;
import io.github.erlangspring.node.dist.Handshake;
import io.github.erlangspring.node.dist.HandshakeException;
import io.github.erlangspring.node.dist.LocalIdentity;
import io.github.erlangspring.node.epmd.EpmdClient;
import io.github.erlangspring.node.epmd.NodeAddress;

/**
 * The connections of this node: one per peer, set up on first use or accepted, with OTP's rules
 * for simultaneous and repeated connection attempts.
 */
final class Connections {

	private static final Logger logger = LoggerFactory.getLogger(Connections.class);

	/** How long a stopping node lets each connection write what it has queued. */
	private static final Duration FLUSH_ON_CLOSE = Duration.ofSeconds(1);

	/** How often connections are checked for a write that has lasted past the stuck timeout. */
	private static final Duration STUCK_CHECK = Duration.ofSeconds(1);

	private static final String NODE_STOPPING = DisconnectReason.of(DisconnectReason.Kind.NODE_STOPPING).toString();

	private final NodeConfig config;

	private final LocalIdentity identity;

	private final EpmdClient epmd;

	private final ExecutorService connectPool;

	private final ScheduledExecutorService scheduler;

	private final DistConnection.Settings settings;

	private final Map<String, DistConnection> up = new ConcurrentHashMap<>();

	private final Map<String, Attempt> pending = new ConcurrentHashMap<>();

	private final List<NodeListener> listeners = new CopyOnWriteArrayList<>();

	private volatile DistConnection.Listener frameListener;

	private volatile ServerSocket server;

	private volatile boolean closing;

	private volatile boolean acceptStopped;

	private final CountDownLatch accepting = new CountDownLatch(1);

	private final PendingHandshakes handshakes;

	private final AllowList allowList;

	private final RateLimitedLog failures = new RateLimitedLog(logger, 20, 60_000);

	private final RateLimitedLog dropped = new RateLimitedLog(logger, 20, 60_000);

	Connections(NodeConfig config, LocalIdentity identity, EpmdClient epmd, ExecutorService connectPool,
			ScheduledExecutorService scheduler) {
		this.config = config;
		this.identity = identity;
		this.epmd = epmd;
		this.connectPool = connectPool;
		this.scheduler = scheduler;
		this.settings = new DistConnection.Settings(config.maxFrameSize(), config.outboundQueueCapacity(),
				config.netTicktime(), config.netTicktime());
		this.handshakes = new PendingHandshakes(config.maxPendingHandshakes(),
				DefaultErlangNode.daemon("erlang-handshake"));
		this.allowList = new AllowList(config.allow());
	}

	void startAccepting() {
		this.accepting.countDown();
	}

	boolean isAccepting() {
		return this.accepting.getCount() == 0 && !this.acceptStopped;
	}

	/** Stops accepting connections (closes the listening socket); connections that are up stay. */
	void stopAccepting() {
		this.acceptStopped = true;
		this.accepting.countDown();
		closeQuietly(this.server);
	}

	void start(ServerSocket server, DistConnection.Listener frameListener) {
		if (!this.config.deferAccept()) {
			this.accepting.countDown();
		}
		this.server = server;
		this.frameListener = frameListener;
		Threads.start("erlang-acceptor-" + this.identity.nodeName(), this.config.virtualThreads(), this::acceptLoop);
		long quarter = Math.max(100, this.config.netTicktime().toMillis() / 4);
		this.scheduler.scheduleAtFixedRate(this::tick, quarter, quarter, TimeUnit.MILLISECONDS);
		long stuckCheck = Math.min(quarter, STUCK_CHECK.toMillis());
		this.scheduler.scheduleAtFixedRate(this::checkStuck, stuckCheck, stuckCheck, TimeUnit.MILLISECONDS);
		this.scheduler.scheduleWithFixedDelay(this::checkReaders, READER_CHECK_MILLIS, READER_CHECK_MILLIS,
				TimeUnit.MILLISECONDS);
	}

	/** How often readers running a process's work are checked for running long. */
	static final long READER_CHECK_MILLIS = 2;

	/**
	 * A reader that has been running a process's work for long (a handler that blocks) passes
	 * reading to another thread, so the connection is read on meanwhile.
	 */
	private void checkReaders() {
		try {
			long now = System.nanoTime();
			for (DistConnection connection : this.up.values()) {
				connection.passReadingIfBusy(now);
				connection.writeLateBurst(now);
			}
		}
		catch (Throwable ex) {
			this.failures.warn("Checking connection readers failed ({}); trying again", ex, null);
		}
	}

	/**
	 * Closes the connections whose write has lasted longer than the stuck timeout: the thread
	 * writing, a sender, waits no longer than that (and this check's period).
	 */
	private void checkStuck() {
		// A periodic task that throws is cancelled for good: nothing escapes this one.
		try {
			long now = System.nanoTime();
			for (DistConnection connection : this.up.values()) {
				if (connection.writeOverdue(now)) {
					// closing runs the node-down work: off the timer thread
					this.connectPool.execute(() -> connection.checkStuck(now));
				}
			}
		}
		catch (Throwable ex) {
			this.failures.warn("Checking for stuck connections failed ({}); trying again in a second", ex, null);
		}
	}

	void addListener(NodeListener listener) {
		this.listeners.add(listener);
	}

	void removeListener(NodeListener listener) {
		this.listeners.remove(listener);
	}

	Map<String, DistConnection> up() {
		return this.up;
	}

	DistConnection existing(String node) {
		return this.up.get(node);
	}

	/**
	 * Sends an asynchronous signal (a message, a cast, a link, a monitor...) as Erlang's
	 * distribution does since OTP 21: never waiting for a connection. Over the connection when it
	 * is up; otherwise the frame is queued on the pending connection attempt (started when
	 * {@code connect} is set and there is none), written in order before anything sent once the
	 * connection is up, and dropped if it cannot be set up. A frame past the queue's bound
	 * ({@link NodeConfig#outboundQueueCapacity()}) is dropped at once.
	 * @param node the peer
	 * @param control the control message
	 * @param payload the message, or {@code null}
	 * @param connect whether to connect when no attempt is pending; when not, a signal for a node
	 * neither connected nor being connected is dropped
	 * @param undelivered run when the frame is dropped (the node cannot be reached, or the queue
	 * is full), or {@code null}
	 */
	void send(String node, OtpErlangTuple control, OtpErlangObject payload, boolean connect, Consumer<Throwable> undelivered) {
		DistConnection connection = this.up.get(node);
		if (connection != null && connection.isOpen()) {
			if (!connection.send(control, payload) && undelivered != null) {
				undelivered.accept(closed(connection));
			}
			return;
		}
		byte[] frame = DistConnection.encode(control, payload);
		while (true) {
			connection = this.up.get(node);
			if (connection != null && connection.isOpen()) {
				if (!connection.sendFrame(frame) && undelivered != null) {
					undelivered.accept(closed(connection));
				}
				return;
			}
			Attempt attempt;
			try {
				attempt = connect ? attempt(node) : this.pending.get(node);
			}
			catch (IOException ex) {
				logger.debug("Cannot connect to {}, a message to it is dropped: {}", node, ex.getMessage());
				if (undelivered != null) {
					undelivered.accept(ex);
				}
				return;
			}
			if (attempt == null && !connect) {
				connection = this.up.get(node);
				if (connection == null || !connection.isOpen()) {
					if (undelivered != null) {
						undelivered.accept(new IOException("not connected to " + node));
					}
					return;
				}
			}
			if (attempt != null) {
				Backlog.Outcome outcome = attempt.backlog.add(frame, undelivered);
				if (outcome == Backlog.Outcome.FULL) {
					this.dropped.warn("Dropped a message to {}: {} are already waiting for the connection to be set up",
							node, this.config.outboundQueueCapacity());
					this.config.observer().sendDropped(node, 1);
					if (undelivered != null) {
						undelivered.accept(new IOException(this.config.outboundQueueCapacity()
								+ " messages are already waiting for the connection to " + node));
					}
					return;
				}
				if (outcome == Backlog.Outcome.FAILED && undelivered != null) {
					undelivered.accept(attempt.backlog.failure());
				}
				if (outcome != Backlog.Outcome.CONNECTED) {
					return;
				}
			}
			// connected meanwhile (register() is publishing it): over the connection
			Thread.onSpinWait();
		}
	}

	CompletableFuture<DistConnection> connect(String node) {
		try {
			Attempt attempt = attempt(node);
			if (attempt != null) {
				return attempt.future;
			}
		}
		catch (IOException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		DistConnection connection = this.up.get(node);
		return (connection != null) ? CompletableFuture.completedFuture(connection) : connect(node);
	}

	private static IOException closed(DistConnection connection) {
		DisconnectReason reason = connection.closeReason();
		return new IOException("connection closed" + ((reason != null) ? ": " + reason : ""));
	}

	/**
	 * The attempt to connect to {@code node}, started when none is pending.
	 * @return the attempt, {@code null} when the node is connected
	 * @throws IOException when no attempt can start (stopping, ourselves, too many connections)
	 */
	private Attempt attempt(String node) throws IOException {
		DistConnection connection = this.up.get(node);
		if (connection != null && connection.isOpen()) {
			return null;
		}
		if (this.closing) {
			throw new IOException(NODE_STOPPING);
		}
		if (node.equals(this.identity.nodeName())) {
			throw new IOException("a node does not connect to itself");
		}
		if (this.up.size() >= this.config.maxConnections()) {
			throw new IOException("cannot connect to " + node + ": " + this.up.size()
					+ " peers are connected, the most allowed (max connections)");
		}
		Attempt[] started = new Attempt[1];
		Attempt attempt = this.pending.computeIfAbsent(node, (name) -> {
			// register() publishes a connection before it ends the attempt: none pending and one
			// up means it is connected (no new attempt)
			DistConnection current = this.up.get(name);
			if (current != null && current.isOpen()) {
				return null;
			}
			started[0] = new Attempt(name, new CompletableFuture<>(),
					new Backlog(this.config.outboundQueueCapacity()), null);
			return started[0];
		});
		if (started[0] != null) {
			try {
				this.connectPool.execute(() -> connectTo(node, started[0]));
			}
			catch (RejectedExecutionException ex) {
				fail(started[0], new IOException(NODE_STOPPING));
			}
		}
		return attempt;
	}

	private void connectTo(String node, Attempt attempt) {
		Socket socket = new Socket();
		try {
			NodeName peer = NodeName.parse(node);
			if (peer.longName() != this.config.name().longName()) {
				throw new IOException("cannot connect a " + (this.config.name().longName() ? "long" : "short")
						+ "-named node to the " + (peer.longName() ? "long" : "short") + "-named node " + node);
			}
			Optional<NodeAddress> address = this.epmd.lookup(peer.host(), peer.alive());
			if (address.isEmpty()) {
				throw new IOException("node " + node + " is not registered with EPMD on " + peer.host());
			}
			Watchdog watchdog = new Watchdog(socket);
			Handshake.Peer established;
			try {
				socket.connect(new InetSocketAddress(peer.host(), address.get().port()));
				if (this.config.sslContext() != null) {
					socket = startTls(socket, peer.host(), address.get().port());
				}
				socket.setTcpNoDelay(true);
				established = Handshake.connect(socket.getInputStream(), socket.getOutputStream(), this.identity, node,
						() -> this.pending.get(node) == attempt, socket instanceof javax.net.ssl.SSLSocket);
			}
			finally {
				watchdog.done();
			}
			register(new DistConnection(socket, established, this.settings));
		}
		catch (HandshakeException ex) {
			closeQuietly(socket);
			if (ex.kind() == HandshakeException.Kind.SIMULTANEOUS_LOST) {
				logger.debug("Simultaneous connects with {}: ours gave way ({})", node, ex.getMessage());
				// The peer's own attempt, accepted by us, completes the future.
				this.scheduler.schedule(() -> fail(attempt, ex), this.config.connectTimeout().toMillis(),
						TimeUnit.MILLISECONDS);
				return;
			}
			logFailure(node, ex);
			fail(attempt, ex);
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(socket);
			logger.debug("Cannot connect to {}: {}", node, ex.toString());
			fail(attempt, ex);
		}
	}

	/** TLS over a connected socket: the peer's host is known, to check its certificate against. */
	private Socket startTls(Socket plain, String host, int port) throws IOException {
		javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) this.config.sslContext()
			.getSocketFactory()
			.createSocket(plain, host, port, true);
		this.config.configureTls(tls);
		if (this.config.tlsVerifyHostname()) {
			javax.net.ssl.SSLParameters parameters = tls.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			tls.setSSLParameters(parameters);
		}
		tls.startHandshake();
		return tls;
	}

	/**
	 * Fails the callers waiting for an attempt, and drops what was sent meanwhile, unless another
	 * attempt took them over.
	 */
	private void fail(Attempt attempt, Throwable cause) {
		if (this.pending.remove(attempt.node, attempt)) {
			dropBacklog(attempt, cause);
			attempt.future.completeExceptionally(cause);
		}
	}

	private void dropBacklog(Attempt attempt, Throwable cause) {
		int dropped = attempt.backlog.fail(cause);
		if (dropped > 0) {
			this.dropped.info("Dropped {} messages sent to {} while connecting: cannot connect ({})", dropped,
					attempt.node + "", cause.getMessage());
			this.config.observer().sendDropped(attempt.node, dropped);
		}
	}

	private void acceptLoop() {
		ServerSocket listening = this.server;
		try {
			// Peers that connect meanwhile wait in the listen backlog.
			this.accepting.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		long backoff = 0;
		while (!this.closing) {
			try {
				Socket socket = listening.accept();
				this.handshakes.start(socket, (slot) -> accept(slot));
				backoff = 0;
			}
			catch (Throwable ex) {
				// Whatever fails (no file descriptor, no thread, no memory), the listener stays: it
				// backs off and accepts again, as long as the node runs.
				if (this.closing || listening.isClosed()) {
					return;
				}
				backoff = Math.min(1000, Math.max(10, backoff * 2));
				this.failures.warn("Accepting a distribution connection failed ({}); retrying in {} ms", ex, backoff);
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private void accept(PendingHandshakes.Slot slot) {
		Socket socket = slot.socket;
		AtomicReference<Attempt> admitted = new AtomicReference<>();
		try {
			Watchdog watchdog = new Watchdog(socket);
			Handshake.Peer peer;
			try {
				if (socket instanceof javax.net.ssl.SSLSocket tls) {
					tls.setNeedClientAuth(true);
					tls.startHandshake();
				}
				socket.setTcpNoDelay(true);
				peer = Handshake.accept(socket.getInputStream(), socket.getOutputStream(), this.identity,
						(name, flags) -> {
							slot.named();
							return admit(name, socket, admitted);
						}, socket instanceof javax.net.ssl.SSLSocket);
			}
			finally {
				watchdog.done();
			}
			register(new DistConnection(socket, peer, this.settings));
		}
		catch (HandshakeException ex) {
			closeQuietly(socket);
			failAdmitted(admitted, ex);
			logFailure(String.valueOf(socket.getRemoteSocketAddress()), ex);
		}
		catch (Throwable ex) {
			closeQuietly(socket);
			failAdmitted(admitted, ex);
			logger.debug("Incoming connection from {} failed: {}", socket.getRemoteSocketAddress(), ex.toString());
		}
	}

	private void failAdmitted(AtomicReference<Attempt> admitted, Throwable cause) {
		Attempt attempt = admitted.get();
		if (attempt != null) {
			fail(attempt, cause);
		}
	}

	/**
	 * As net_kernel's {@code accept_pending}: an accepted attempt becomes the pending connection
	 * to the peer, which our own connects then wait for. When an attempt for that peer is already
	 * pending (ours, or another accepted one, not yet authenticated), the node with the greater
	 * name keeps it; otherwise the new attempt replaces it, taking over those waiting, and an
	 * accepted one it replaces is closed (net_kernel kills its owner, {@code remarked}).
	 */
	private Handshake.Admission admit(String peer, Socket socket, AtomicReference<Attempt> admitted) {
		if (this.closing || !this.allowList.allows(peer)) {
			return Handshake.Admission.NOT_ALLOWED;
		}
		DistConnection existing = this.up.get(peer);
		if (existing != null && existing.isOpen()) {
			return Handshake.Admission.ALIVE;
		}
		if (this.up.size() >= this.config.maxConnections()) {
			return Handshake.Admission.NOT_ALLOWED;
		}
		Handshake.Admission[] admission = new Handshake.Admission[1];
		Attempt[] replaced = new Attempt[1];
		this.pending.compute(peer, (name, current) -> {
			if (current == null) {
				admission[0] = Handshake.Admission.OK;
				admitted.set(new Attempt(name, new CompletableFuture<>(),
						new Backlog(this.config.outboundQueueCapacity()), socket));
				return admitted.get();
			}
			if (this.identity.nodeName().compareTo(peer) > 0) {
				if (!current.accepting()) {
					logger.debug("Simultaneous connects with {}: ours is kept (greater name), theirs refused", peer);
				}
				admission[0] = Handshake.Admission.NOK;
				return current;
			}
			// The new attempt takes over the pending one, and those waiting for it.
			if (!current.accepting()) {
				logger.debug("Simultaneous connects with {}: theirs is kept (greater name), ours withdrawn", peer);
			}
			admission[0] = current.accepting() ? Handshake.Admission.OK : Handshake.Admission.OK_SIMULTANEOUS;
			replaced[0] = current;
			admitted.set(new Attempt(name, current.future, current.backlog, socket));
			return admitted.get();
		});
		if (replaced[0] != null && replaced[0].accepting()) {
			closeQuietly(replaced[0].socket);
		}
		return admission[0];
	}

	private void register(DistConnection connection) throws IOException {
		String peer = connection.peer().name();
		synchronized (this) {
			if (this.closing) {
				connection.close(DisconnectReason.of(DisconnectReason.Kind.NODE_STOPPING));
				throw new IOException(NODE_STOPPING);
			}
			DistConnection old = this.up.get(peer);
			if (old != null) {
				old.close(DisconnectReason.of(DisconnectReason.Kind.REPLACED));
			}
			Attempt waiting = this.pending.get(peer);
			if (waiting != null) {
				// what was sent while connecting leaves first, before whatever is sent once the
				// connection is published
				waiting.backlog.moveTo(connection);
			}
			this.up.put(peer, connection);
			connection.start(this.frameListener, this.config.virtualThreads());
		}
		Attempt waiting = this.pending.remove(peer);
		logger.info("Node {} connected to {}{}", this.identity.nodeName(), peer,
				connection.peer().hidden() ? " (hidden)" : "");
		this.config.observer().connectionUp(peer, connection.peer().hidden());
		// listeners hear of the connection before those waiting for it go on: whoever connected
		// and then asks its listeners finds the nodeUp there
		for (NodeListener listener : this.listeners) {
			try {
				listener.nodeUp(peer, connection.peer().hidden());
			}
			catch (RuntimeException ex) {
				logger.warn("Node listener failed on nodeUp({})", peer, ex);
			}
		}
		// what waited for the connection leaves once the listeners know of it, so that no answer
		// to it comes before their nodeUp (as OTP delivers nodeup before the node's messages)
		connection.flush();
		if (waiting != null) {
			waiting.future.complete(connection);
			if (waiting.accepting() && waiting.socket != connection.socket()) {
				// another attempt, not yet authenticated, lost the race
				closeQuietly(waiting.socket);
			}
		}
	}

	/** Called once per connection when it closes; tells whether it was the registered one. */
	boolean unregister(DistConnection connection, DisconnectReason reason) {
		String peer = connection.peer().name();
		NodeObserver observer = this.config.observer();
		if (reason.kind() == DisconnectReason.Kind.TICK_TIMEOUT) {
			observer.tickTimeout(peer);
		}
		else if (reason.kind() == DisconnectReason.Kind.PROTOCOL_VIOLATION) {
			observer.malformedFrame(peer, reason.detail());
		}
		if (!this.up.remove(peer, connection)) {
			return false;
		}
		observer.connectionDown(new ErlangNode.ConnectionInfo(peer, connection.peer().hidden(),
				connection.connectedAt(), connection.messagesIn(), connection.messagesOut(), connection.bytesIn(),
				connection.bytesOut(), connection.queuedFrames()), reason);
		if (reason.kind() == DisconnectReason.Kind.PROTOCOL_VIOLATION) {
			logger.warn("Closed connection to {}: {}", peer, reason);
		}
		else if (!this.closing) {
			logger.info("Connection to {} closed: {}", peer, reason);
		}
		for (NodeListener listener : this.listeners) {
			try {
				listener.nodeDown(peer, reason);
			}
			catch (RuntimeException ex) {
				logger.warn("Node listener failed on nodeDown({})", peer, ex);
			}
		}
		return true;
	}

	private void logFailure(String peer, HandshakeException ex) {
		// rate-limited: failed handshakes cost an attacker nothing
		if (ex.isAuthenticationFailure()) {
			this.failures.warn("Distribution handshake with {} failed: {}", peer, ex.getMessage());
		}
		else {
			this.failures.info("Distribution handshake with {} failed: {}", peer, ex.getMessage());
		}
	}

	private void tick() {
		// A periodic task that throws is cancelled for good: nothing escapes this one.
		try {
			long now = System.nanoTime();
			for (DistConnection connection : this.up.values()) {
				// Off the timer thread: writing a tick can block on a peer that stopped reading, and
				// must not hold up the ticks (and timeouts) of every other peer.
				this.connectPool.execute(() -> {
					try {
						connection.tick(now);
					}
					catch (Throwable ex) {
						logger.warn("Tick on {} failed", connection, ex);
					}
				});
			}
		}
		catch (RejectedExecutionException ex) {
			// stopping
		}
		catch (Throwable ex) {
			this.failures.warn("Ticking the connections failed ({}); trying again at the next tick", ex, null);
		}
	}

	/** @return incoming connections in their handshake */
	int pendingHandshakes() {
		return this.handshakes.size();
	}

	/** Stops accepting and closes every connection. */
	void close() {
		synchronized (this) {
			this.closing = true;
		}
		this.accepting.countDown();
		closeQuietly(this.server);
		this.handshakes.close();
		// What is queued leaves first: a reply to a call that finished during the drain may still be
		// held by the reading thread's cork. Written from other threads (not corked), at most
		// FLUSH_ON_CLOSE for a peer that stopped reading; closing the socket ends a stuck write.
		List<CompletableFuture<Void>> flushes = new ArrayList<>();
		for (DistConnection connection : this.up.values()) {
			flushes.add(CompletableFuture.runAsync(connection::flush,
					(task) -> Threads.start("erlang-flush-" + connection.peer().name(), false, task)));
		}
		try {
			CompletableFuture.allOf(flushes.toArray(new CompletableFuture<?>[0]))
				.get(FLUSH_ON_CLOSE.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			logger.debug("Not every connection could write what it had queued before closing: {}", ex.toString());
		}
		for (DistConnection connection : this.up.values()) {
			connection.close(DisconnectReason.of(DisconnectReason.Kind.NODE_STOPPING));
		}
		for (Attempt attempt : this.pending.values()) {
			if (this.pending.remove(attempt.node, attempt)) {
				IOException stopping = new IOException(NODE_STOPPING);
				dropBacklog(attempt, stopping);
				attempt.future.completeExceptionally(stopping);
			}
		}
	}

	/** A connection being set up, by us or by the peer; its future completes for every caller waiting. */
	private static final class Attempt {

		final String node;

		final CompletableFuture<DistConnection> future;

		/** What was sent to the node meanwhile; shared, as the future, with an attempt that replaces this one. */
		final Backlog backlog;

		/** The socket of an accepted attempt, {@code null} for our own. */
		final Socket socket;

		Attempt(String node, CompletableFuture<DistConnection> future, Backlog backlog, Socket socket) {
			this.node = node;
			this.future = future;
			this.backlog = backlog;
			this.socket = socket;
		}

		boolean accepting() {
			return this.socket != null;
		}

	}

	/**
	 * Frames sent to a node while its connection is being set up (OTP queues them on the pending
	 * connection): bounded, moved in order to the connection when it is up, dropped if it cannot
	 * be set up.
	 */
	static final class Backlog {

		enum Outcome {
			/** queued until the connection is up */
			QUEUED,
			/** the connection is up (or the attempt over): send over the connection */
			CONNECTED,
			/** dropped: the queue is full */
			FULL,
			/** dropped: the attempt failed */
			FAILED

		}

		private final int capacity;

		private final ArrayDeque<byte[]> frames = new ArrayDeque<>();

		private final List<Consumer<Throwable>> undelivered = new ArrayList<>(0);

		private boolean moved;

		private Throwable failure;

		Backlog(int capacity) {
			this.capacity = capacity;
		}

		synchronized Outcome add(byte[] frame, Consumer<Throwable> onUndelivered) {
			if (this.moved) {
				return Outcome.CONNECTED;
			}
			if (this.failure != null) {
				// the attempt failed a moment ago: as a send right after it, dropped
				return Outcome.FAILED;
			}
			if (this.frames.size() >= this.capacity) {
				return Outcome.FULL;
			}
			this.frames.add(frame);
			if (onUndelivered != null) {
				this.undelivered.add(onUndelivered);
			}
			return Outcome.QUEUED;
		}

		/** Queues the frames on the connection, which is not registered yet; later adds go to it. */
		synchronized void moveTo(DistConnection connection) {
			connection.queueFirst(this.frames);
			this.frames.clear();
			this.undelivered.clear();
			this.moved = true;
		}

		synchronized Throwable failure() {
			return this.failure;
		}

		/** @return how many frames were dropped; those who asked to hear of it do */
		int fail(Throwable cause) {
			List<Consumer<Throwable>> tell;
			int dropped;
			synchronized (this) {
				if (this.moved || this.failure != null) {
					return 0;
				}
				this.failure = cause;
				dropped = this.frames.size();
				this.frames.clear();
				tell = new ArrayList<>(this.undelivered);
				this.undelivered.clear();
			}
			for (Consumer<Throwable> listener : tell) {
				try {
					listener.accept(cause);
				}
				catch (RuntimeException ex) {
					logger.warn("Handling an undelivered signal failed", ex);
				}
			}
			return dropped;
		}

	}

	/**
	 * Bounds connect and handshake by closing the socket when they take too long. (A socket read
	 * timeout would do it too, but leaves the JDK's socket in non-blocking mode for good, which
	 * costs extra system calls on every later read.)
	 */
	private final class Watchdog {

		private final AtomicInteger state = new AtomicInteger();

		private final ScheduledFuture<?> timer;

		Watchdog(Socket socket) {
			this.timer = Connections.this.scheduler.schedule(() -> {
				if (this.state.compareAndSet(0, 2)) {
					closeQuietly(socket);
				}
			}, Connections.this.config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}

		/** Ends the watch; fails when it fired, whatever the outcome looked like. */
		void done() throws IOException {
			if (!this.state.compareAndSet(0, 1)) {
				throw new IOException("connect and handshake took longer than " + Connections.this.config.connectTimeout());
			}
			this.timer.cancel(false);
		}

	}

	static void closeQuietly(Closeable closeable) {
		try {
			if (closeable != null) {
				closeable.close();
			}
		}
		catch (IOException ex) {
			// nothing more to do
		}
	}

}
