package io.github.erlangspring.node.epmd;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A port mapper daemon that runs inside the application, for when no {@code epmd} runs on the
 * host. It speaks the EPMD protocol as {@code epmd} of OTP 23 and later does, so real Erlang
 * nodes ({@code ERL_EPMD_PORT}), {@code epmd -names} and {@link EpmdClient} can use it:
 * <ul>
 * <li>{@code ALIVE2_REQ} registers a name for as long as the registering connection stays open,
 * and answers {@code ALIVE2_X_RESP} with a non-zero 32-bit creation that differs from the one
 * previously given to the same name ({@code ALIVE2_RESP} with a creation from 1 to 3 to nodes
 * older than distribution version 6). A name that is already registered is refused with result
 * 1. Any data received on a registration connection unregisters the name, as with
 * {@code epmd}.</li>
 * <li>{@code PORT_PLEASE2_REQ} and {@code NAMES_REQ} answer like {@code epmd}.</li>
 * <li>{@code DUMP_REQ} lists registered and previously registered names, with a connection
 * number in place of {@code epmd}'s file descriptor.</li>
 * <li>{@code KILL_REQ} is always answered {@code NO}: this EPMD lives and dies with the
 * application, see {@link #close()}.</li>
 * <li>{@code STOP_REQ} is refused without an answer, as {@code epmd} refuses it unless started
 * with {@code -relaxed_command_check}: any local process could otherwise unregister any node.</li>
 * </ul>
 * As with {@code epmd}, registration, dump and kill requests are only honoured from the
 * local host (a loopback address or the address the connection was accepted on). Every other
 * connection carries one request and is closed after the answer; malformed, unknown and
 * oversized requests (over {@value #MAX_REQUEST_LENGTH} bytes) close that connection only.
 * Each connection is served by a daemon thread named {@code epmd-...}.
 */
public final class EmbeddedEpmd implements AutoCloseable {

	/** The longest request accepted, in bytes (without the 2-byte length). */
	static final int MAX_REQUEST_LENGTH = 2048;

	/** The most connections served at once; more are closed as soon as accepted. */
	static final int MAX_CONNECTIONS = 512;

	/** How long a connection may take to send its request, as epmd's default packet timeout. */
	static final int PACKET_TIMEOUT_MILLIS = 60_000;

	/** How many names, registered or not, are remembered to give them a new creation. */
	private static final int MAX_REMEMBERED_NAMES = 1000;

	private static final byte[] NO = "NO".getBytes(StandardCharsets.US_ASCII);



	private static final Logger logger = LoggerFactory.getLogger(EmbeddedEpmd.class);

	private final ServerSocket serverSocket;

	private final int port;

	private final Thread acceptor;

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final AtomicLong connectionIds = new AtomicLong();

	/** Live registrations by name, guarded by itself. */
	private final Map<String, Node> nodes = new LinkedHashMap<>();

	/** The latest registration of each recently used name, guarded by {@link #nodes}. */
	private final Map<String, Node> history = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Node> eldest) {
			return size() > MAX_REMEMBERED_NAMES;
		}

	};

	private final AtomicBoolean closed = new AtomicBoolean();

	/** EPMDs released by their node while other nodes were still registered, by port. */
	private static final Map<Integer, EmbeddedEpmd> lingering = new java.util.concurrent.ConcurrentHashMap<>();

	private volatile boolean closeWhenEmpty;

	private EmbeddedEpmd(ServerSocket serverSocket) {
		this.serverSocket = serverSocket;
		this.port = serverSocket.getLocalPort();
		this.acceptor = new Thread(this::acceptConnections, "epmd-acceptor-" + this.port);
		this.acceptor.setDaemon(true);
	}

	/**
	 * Starts an EPMD listening on the given address and port.
	 * @param bindAddress the address to listen on, e.g. the loopback address or the wildcard
	 * address
	 * @param port the port to listen on ({@code 4369} normally), or {@code 0} for an ephemeral
	 * port (see {@link #port()})
	 * @return the running EPMD
	 * @throws BindException when the port is already taken, typically by a running
	 * {@code epmd}, which can then be used instead
	 * @throws IOException when the server socket cannot be opened
	 */
	public static EmbeddedEpmd start(InetAddress bindAddress, int port) throws IOException {
		Objects.requireNonNull(bindAddress, "bindAddress must not be null");
		if (port < 0 || port > 0xFFFF) {
			throw new IllegalArgumentException("Invalid port " + port);
		}
		ServerSocket serverSocket = new ServerSocket();
		try {
			serverSocket.setReuseAddress(true);
			serverSocket.bind(new InetSocketAddress(bindAddress, port), 128);
		}
		catch (IOException | RuntimeException ex) {
			serverSocket.close();
			throw ex;
		}
		EmbeddedEpmd epmd = new EmbeddedEpmd(serverSocket);
		epmd.acceptor.start();
		logger.debug("Embedded EPMD listening on {}", serverSocket.getLocalSocketAddress());
		return epmd;
	}

	/**
	 * Takes back an EPMD of this JVM that a stopped node left serving other nodes (see
	 * {@link #release(String)}), for example across a restart of the application context.
	 * @param port the EPMD port
	 * @return that EPMD, running and again owned by the caller, or {@code null}
	 */
	public static EmbeddedEpmd adopt(int port) {
		EmbeddedEpmd epmd = lingering.remove(port);
		if (epmd == null) {
			return null;
		}
		synchronized (epmd.nodes) {
			if (epmd.closed.get()) {
				return null;
			}
			epmd.closeWhenEmpty = false;
		}
		logger.debug("Embedded EPMD on port {} adopted again", port);
		return epmd;
	}

	/**
	 * Gives up ownership: closes at once when no node but {@code owner} is registered;
	 * otherwise keeps serving the nodes that are (Erlang nodes do not register again with a new
	 * EPMD), until the last of them unregisters or a new owner {@link #adopt(int) adopts} it.
	 * @param owner the alive name of the releasing node, whose registration is ending
	 */
	public void release(String owner) {
		synchronized (this.nodes) {
			// its registration is closing: forget it now, so that it can register again at once
			this.nodes.remove(owner);
			if (!this.nodes.isEmpty() && !this.closed.get()) {
				this.closeWhenEmpty = true;
				lingering.put(this.port, this);
				logger.info("Embedded EPMD on port {} keeps serving the nodes registered with it: {}", this.port,
						this.nodes.keySet());
				return;
			}
		}
		close();
	}

	/**
	 * Returns the port this EPMD listens on.
	 * @return the bound port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * Returns whether this EPMD still serves requests.
	 * @return {@code true} until {@link #close()}
	 */
	public boolean isRunning() {
		return !this.closed.get();
	}

	/**
	 * Returns the names registered right now, for diagnostics.
	 * @return an immutable snapshot of the registered names and their listen ports
	 */
	public Map<String, Integer> registeredNames() {
		Map<String, Integer> names = new LinkedHashMap<>();
		synchronized (this.nodes) {
			this.nodes.forEach((name, node) -> names.put(name, node.port()));
		}
		return Collections.unmodifiableMap(names);
	}

	/**
	 * Stops serving: closes the listening socket and every connection, which unregisters every
	 * node. Idempotent.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		lingering.remove(this.port, this);
		closeQuietly(this.serverSocket);
		awaitAcceptorExit();
		for (Socket connection : this.connections) {
			closeQuietly(connection);
		}
		synchronized (this.nodes) {
			this.nodes.clear();
		}
		logger.debug("Embedded EPMD on port {} stopped", this.port);
	}

	/**
	 * The listening socket is only released once the thread blocked in {@code accept()} has
	 * returned: wait for it so that the port no longer accepts connections after
	 * {@link #close()}.
	 */
	private void awaitAcceptorExit() {
		if (Thread.currentThread() == this.acceptor) {
			return;
		}
		try {
			this.acceptor.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void acceptConnections() {
		while (!this.closed.get()) {
			Socket socket;
			try {
				socket = this.serverSocket.accept();
			}
			catch (IOException ex) {
				if (!this.closed.get()) {
					logger.warn("Embedded EPMD on port {} failed to accept a connection", this.port, ex);
					pauseAfterAcceptFailure();
				}
				continue;
			}
			if (this.connections.size() >= MAX_CONNECTIONS) {
				logger.warn("Embedded EPMD on port {} refuses a connection from {}: {} connections open", this.port,
						socket.getRemoteSocketAddress(), MAX_CONNECTIONS);
				closeQuietly(socket);
				continue;
			}
			this.connections.add(socket);
			if (this.closed.get()) {
				closeQuietly(socket);
				break;
			}
			long id = this.connectionIds.incrementAndGet();
			Thread thread = new Thread(() -> serve(socket, id), "epmd-connection-" + this.port + "-" + id);
			thread.setDaemon(true);
			thread.start();
		}
	}

	private void pauseAfterAcceptFailure() {
		// e.g. out of file descriptors: do not spin
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close();
		}
	}

	private void serve(Socket socket, long id) {
		try {
			socket.setSoTimeout(PACKET_TIMEOUT_MILLIS);
			DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
			int length = in.readUnsignedShort();
			if (length < 1 || length > MAX_REQUEST_LENGTH) {
				logger.debug("Embedded EPMD: invalid request length {} from {}", length,
						socket.getRemoteSocketAddress());
				return;
			}
			byte[] request = new byte[length];
			in.readFully(request);
			handle(socket, id, in, request);
		}
		catch (EOFException | SocketTimeoutException ex) {
			logger.debug("Embedded EPMD: incomplete request from {}", socket.getRemoteSocketAddress());
		}
		catch (IOException ex) {
			if (!this.closed.get()) {
				logger.debug("Embedded EPMD: I/O error on connection {}", id, ex);
			}
		}
		finally {
			closeQuietly(socket);
			this.connections.remove(socket);
		}
	}

	private void handle(Socket socket, long id, DataInputStream in, byte[] request) throws IOException {
		OutputStream out = socket.getOutputStream();
		int tag = request[0] & 0xFF;
		boolean local = isLocalPeer(socket);
		switch (tag) {
			case EpmdProtocol.ALIVE2_REQ -> {
				if (requireLocal(local, "ALIVE2_REQ", socket)) {
					Node node = register(socket, id, request, out);
					if (node != null) {
						holdRegistration(node, in);
					}
				}
			}
			case EpmdProtocol.PORT_PLEASE2_REQ -> portPlease(request, out);
			case EpmdProtocol.NAMES_REQ -> names(out);
			case EpmdProtocol.DUMP_REQ -> {
				if (requireLocal(local, "DUMP_REQ", socket)) {
					dump(out);
				}
			}
			case EpmdProtocol.KILL_REQ -> {
				if (requireLocal(local, "KILL_REQ", socket)) {
					logger.debug("Embedded EPMD: refusing KILL_REQ");
					out.write(NO);
				}
			}
			case EpmdProtocol.STOP_REQ -> {
				// As epmd started without -relaxed_command_check: refused without an answer, from
				// anywhere (a local process is not necessarily a trusted one).
				logger.debug("Embedded EPMD: disallowed STOP_REQ from {}", socket.getInetAddress());
			}
			default -> logger.debug("Embedded EPMD: unknown request {} from {}", tag, socket.getRemoteSocketAddress());
		}
		out.flush();
	}

	private static boolean requireLocal(boolean local, String request, Socket socket) {
		if (!local) {
			logger.debug("Embedded EPMD: {} from non-local address {}", request, socket.getInetAddress());
		}
		return local;
	}

	private Node register(Socket socket, long id, byte[] request, OutputStream out) throws IOException {
		int length = request.length;
		if (length <= 13) {
			logger.debug("Embedded EPMD: ALIVE2_REQ too small ({} bytes)", length);
			return null;
		}
		int listenPort = EpmdProtocol.uint16(request, 1);
		int nodeType = request[3] & 0xFF;
		int protocol = request[4] & 0xFF;
		int highest = EpmdProtocol.uint16(request, 5);
		int lowest = EpmdProtocol.uint16(request, 7);
		int nameLength = EpmdProtocol.uint16(request, 9);
		if (nameLength + 13 > length) {
			logger.debug("Embedded EPMD: node name size error in ALIVE2_REQ");
			return null;
		}
		int extraLength = EpmdProtocol.uint16(request, 11 + nameLength);
		if (nameLength + extraLength + 13 > length) {
			logger.debug("Embedded EPMD: extra size error in ALIVE2_REQ");
			return null;
		}
		for (int i = 11; i < 11 + nameLength; i++) {
			if (request[i] == 0) {
				logger.debug("Embedded EPMD: node name contains NUL in ALIVE2_REQ");
				return null;
			}
		}
		String name = EpmdProtocol.decodeName(request, 11, nameLength);
		byte[] extra = new byte[extraLength];
		System.arraycopy(request, 13 + nameLength, extra, 0, extraLength);
		Node node = null;
		if (name != null) {
			synchronized (this.nodes) {
				if (!this.closed.get() && !this.nodes.containsKey(name)) {
					Node previous = this.history.get(name);
					int creation = nextCreation((previous != null) ? previous.creation() : null);
					node = new Node(name, listenPort, nodeType, protocol, highest, lowest, extra, creation, socket, id);
					this.nodes.put(name, node);
					this.history.put(name, node);
				}
			}
		}
		boolean extended = highest >= EpmdProtocol.DISTRIBUTION_VERSION;
		int creation = (node != null) ? node.creation() : EpmdProtocol.REFUSED_CREATION;
		ByteBuffer response = ByteBuffer.allocate(extended ? 6 : 4)
			.put((byte) (extended ? EpmdProtocol.ALIVE2_X_RESP : EpmdProtocol.ALIVE2_RESP))
			.put((byte) ((node != null) ? 0 : 1));
		if (extended) {
			response.putInt(creation);
		}
		else {
			response.putShort((short) ((node != null) ? Integer.remainderUnsigned(creation, 3) + 1 : creation));
		}
		try {
			out.write(response.array());
			out.flush();
		}
		catch (IOException ex) {
			if (node != null) {
				unregister(node);
			}
			throw ex;
		}
		if (node == null) {
			logger.debug("Embedded EPMD: refused the registration of {}", (name != null) ? "'" + name + "'"
					: "an invalid name");
			return null;
		}
		logger.debug("Embedded EPMD: registered '{}' at port {} (creation {})", name, listenPort,
				Integer.toUnsignedString(node.creation()));
		return node;
	}

	private static int nextCreation(Integer previous) {
		if (previous == null) {
			int creation;
			do {
				creation = ThreadLocalRandom.current().nextInt();
			}
			while (creation == 0);
			return creation;
		}
		int creation = previous + 1;
		return (creation != 0) ? creation : 1;
	}

	private void holdRegistration(Node node, DataInputStream in) {
		try {
			node.socket().setSoTimeout(0);
			int read = in.read();
			if (read >= 0) {
				logger.debug("Embedded EPMD: unexpected data on the registration connection of '{}'", node.name());
			}
		}
		catch (IOException ex) {
			// closed: the node is gone
		}
		finally {
			unregister(node);
		}
	}

	private boolean unregister(Node node) {
		boolean unused;
		synchronized (this.nodes) {
			if (this.nodes.get(node.name()) != node) {
				return false;
			}
			this.nodes.remove(node.name());
			unused = this.closeWhenEmpty && this.nodes.isEmpty();
		}
		logger.debug("Embedded EPMD: unregistered '{}'", node.name());
		if (unused && lingering.remove(this.port, this)) {
			logger.info("Embedded EPMD on port {} stops: no node is registered with it any more", this.port);
			close();
		}
		return true;
	}

	private void portPlease(byte[] request, OutputStream out) throws IOException {
		int length = request.length;
		if (length > 1 && request[length - 1] == 0) {
			length--;
		}
		String name = EpmdProtocol.decodeName(request, 1, length - 1);
		if (name == null) {
			logger.debug("Embedded EPMD: invalid node name in PORT_PLEASE2_REQ");
			return;
		}
		Node node;
		synchronized (this.nodes) {
			node = this.nodes.get(name);
		}
		if (node == null) {
			out.write(new byte[] { (byte) EpmdProtocol.PORT2_RESP, 1 });
			return;
		}
		byte[] registeredName = node.name().getBytes(StandardCharsets.UTF_8);
		out.write(ByteBuffer.allocate(14 + registeredName.length + node.extra().length)
			.put((byte) EpmdProtocol.PORT2_RESP)
			.put((byte) 0)
			.putShort((short) node.port())
			.put((byte) node.nodeType())
			.put((byte) node.protocol())
			.putShort((short) node.highest())
			.putShort((short) node.lowest())
			.putShort((short) registeredName.length)
			.put(registeredName)
			.putShort((short) node.extra().length)
			.put(node.extra())
			.array());
	}

	private void names(OutputStream out) throws IOException {
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		response.write(ByteBuffer.allocate(4).putInt(this.port).array());
		for (Node node : liveNodes()) {
			String line = "name " + node.name() + " at port " + node.port() + "\n";
			response.write(line.getBytes(StandardCharsets.UTF_8));
		}
		out.write(response.toByteArray());
	}

	private void dump(OutputStream out) throws IOException {
		ByteArrayOutputStream response = new ByteArrayOutputStream();
		response.write(ByteBuffer.allocate(4).putInt(this.port).array());
		List<Node> old = new ArrayList<>();
		List<Node> live;
		synchronized (this.nodes) {
			live = new ArrayList<>(this.nodes.values());
			for (Node node : this.history.values()) {
				if (this.nodes.get(node.name()) != node) {
					old.add(node);
				}
			}
		}
		// Each entry is NUL-terminated, as epmd sends them
		for (Node node : live) {
			String entry = "active name     <" + node.name() + "> at port " + node.port() + ", fd = "
					+ node.connectionId() + "\n\0";
			response.write(entry.getBytes(StandardCharsets.UTF_8));
		}
		for (Node node : old) {
			String entry = "old/unused name <" + node.name() + ">, port = " + node.port() + ", fd = "
					+ node.connectionId() + " \n\0";
			response.write(entry.getBytes(StandardCharsets.UTF_8));
		}
		out.write(response.toByteArray());
	}

	private List<Node> liveNodes() {
		synchronized (this.nodes) {
			return new ArrayList<>(this.nodes.values());
		}
	}

	/**
	 * Whether the peer is on this host, as epmd decides it: a loopback address, or the very
	 * address the connection was accepted on.
	 */
	private static boolean isLocalPeer(Socket socket) {
		InetAddress peer = socket.getInetAddress();
		return peer != null && (peer.isLoopbackAddress() || peer.equals(socket.getLocalAddress()));
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// nothing to do
		}
	}

	@Override
	public String toString() {
		return "EmbeddedEpmd[" + this.serverSocket.getLocalSocketAddress() + ", running=" + !this.closed.get() + "]";
	}

	/**
	 * A registration: what {@code ALIVE2_REQ} announced, and the connection that holds it.
	 */
	private record Node(String name, int port, int nodeType, int protocol, int highest, int lowest, byte[] extra,
			int creation, Socket socket, long connectionId) {

	}

}
