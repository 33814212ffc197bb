package io.github.erlangspring.node.epmd;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the EPMD protocol: registers this node's name and listen port with the local EPMD,
 * and asks any host's EPMD for the listen port of a node.
 * <p>
 * Each call opens its own TCP connection, as {@code erl_epmd} does; failing to connect surfaces
 * as {@link java.net.ConnectException} (no EPMD listening) or
 * {@link java.net.SocketTimeoutException}. The timeout given at construction applies to
 * connecting and to each read. Instances are immutable and thread-safe.
 *
 * @see EmbeddedEpmd
 */
public final class EpmdClient {

	private static final Logger logger = LoggerFactory.getLogger(EpmdClient.class);

	private static final InetAddress LOCALHOST = localhost();

	private static final int MAX_NAMES_RESPONSE = 1024 * 1024;

	private final int epmdPort;

	private final int timeoutMillis;

	/**
	 * Creates a client of the EPMDs listening on the given port.
	 * @param epmdPort the EPMD port (normally {@code 4369}, or {@code ERL_EPMD_PORT})
	 * @param timeout the connect and read timeout, positive
	 */
	public EpmdClient(int epmdPort, Duration timeout) {
		if (epmdPort < 1 || epmdPort > 0xFFFF) {
			throw new IllegalArgumentException("Invalid EPMD port " + epmdPort);
		}
		Objects.requireNonNull(timeout, "timeout must not be null");
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("timeout must be positive");
		}
		this.epmdPort = epmdPort;
		this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
	}

	/**
	 * Returns the port of the EPMDs this client talks to.
	 * @return the EPMD port
	 */
	public int epmdPort() {
		return this.epmdPort;
	}

	/**
	 * Registers a node with the EPMD on {@code 127.0.0.1} ({@code ALIVE2_REQ}, distribution
	 * version 6). The name stays registered until the returned registration is closed, so it
	 * must be kept open for the whole life of the node.
	 * @param alive the node name without the host part
	 * @param listenPort the port the node accepts distribution connections on
	 * @param hidden whether to register as a hidden node (node type 72) rather than as a normal
	 * Erlang node (node type 77)
	 * @return the registration, holding the creation EPMD assigned
	 * @throws java.net.ConnectException when no EPMD listens on the port
	 * @throws EpmdException when EPMD refused the registration (the name is taken) or answered
	 * nonsense
	 * @throws IOException on other I/O failures, including timeouts
	 */
	public Registration register(String alive, int listenPort, boolean hidden) throws IOException {
		byte[] name = EpmdProtocol.encodeName(alive);
		if (listenPort < 1 || listenPort > 0xFFFF) {
			throw new IllegalArgumentException("Invalid listen port " + listenPort);
		}
		byte[] request = ByteBuffer.allocate(13 + name.length)
			.put((byte) EpmdProtocol.ALIVE2_REQ)
			.putShort((short) listenPort)
			.put((byte) (hidden ? EpmdProtocol.NODE_TYPE_HIDDEN : EpmdProtocol.NODE_TYPE_NORMAL))
			.put((byte) EpmdProtocol.PROTOCOL_TCP_IPV4)
			.putShort((short) EpmdProtocol.DISTRIBUTION_VERSION)
			.putShort((short) EpmdProtocol.DISTRIBUTION_VERSION)
			.putShort((short) name.length)
			.put(name)
			.putShort((short) 0)
			.array();
		Socket socket = connect(LOCALHOST);
		try {
			send(socket, request);
			DataInputStream in = new DataInputStream(socket.getInputStream());
			int tag = readResponseByte(in, "registration of '" + alive + "'");
			int result = readResponseByte(in, "registration of '" + alive + "'");
			int creation;
			try {
				if (tag == EpmdProtocol.ALIVE2_X_RESP) {
					creation = in.readInt();
				}
				else if (tag == EpmdProtocol.ALIVE2_RESP) {
					creation = in.readUnsignedShort();
				}
				else {
					throw new EpmdException("Unexpected response " + tag + " from EPMD on port " + this.epmdPort
							+ " to the registration of '" + alive + "'");
				}
			}
			catch (EOFException ex) {
				throw new EpmdException("Truncated registration response from EPMD on port " + this.epmdPort, ex);
			}
			if (result != 0) {
				throw new EpmdException("Name '" + alive + "' is already registered with EPMD on port "
						+ this.epmdPort + " (EPMD refused the registration with result " + result + ")");
			}
			// Nothing reads this connection any more: EPMD only watches it for the close
			socket.setSoTimeout(0);
			Registration registration = new Registration(socket, alive, listenPort, creation);
			logger.debug("Registered '{}' (port {}) with EPMD on port {}: creation {}", alive, listenPort,
					this.epmdPort, Integer.toUnsignedString(creation));
			return registration;
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(socket);
			throw ex;
		}
	}

	/**
	 * Asks the EPMD of a host where a node listens ({@code PORT_PLEASE2_REQ}).
	 * @param host the host name or address of the node (its EPMD is asked)
	 * @param alive the node name without the host part
	 * @return the node's address, or empty when the name is not registered there
	 * @throws java.net.ConnectException when no EPMD listens on that host
	 * @throws java.net.UnknownHostException when the host cannot be resolved
	 * @throws EpmdException when EPMD answered nonsense
	 * @throws IOException on other I/O failures, including timeouts
	 */
	public Optional<NodeAddress> lookup(String host, String alive) throws IOException {
		byte[] name = EpmdProtocol.encodeName(alive);
		byte[] request = ByteBuffer.allocate(1 + name.length)
			.put((byte) EpmdProtocol.PORT_PLEASE2_REQ)
			.put(name)
			.array();
		try (Socket socket = connect(resolve(host))) {
			send(socket, request);
			DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
			String what = "port request for '" + alive + "'";
			int tag = readResponseByte(in, what);
			if (tag != EpmdProtocol.PORT2_RESP) {
				throw new EpmdException("Unexpected response " + tag + " from EPMD at " + host + ":" + this.epmdPort
						+ " to the " + what);
			}
			int result = readResponseByte(in, what);
			if (result != 0) {
				logger.debug("EPMD at {}:{} does not know '{}' (result {})", host, this.epmdPort, alive, result);
				return Optional.empty();
			}
			try {
				int port = in.readUnsignedShort();
				int nodeType = in.readUnsignedByte();
				in.readUnsignedByte(); // protocol
				int highest = in.readUnsignedShort();
				int lowest = in.readUnsignedShort();
				byte[] registeredName = new byte[in.readUnsignedShort()];
				in.readFully(registeredName);
				in.skipNBytes(in.readUnsignedShort()); // extra
				return Optional.of(new NodeAddress(host, port, nodeType == EpmdProtocol.NODE_TYPE_HIDDEN, highest,
						lowest, new String(registeredName, StandardCharsets.UTF_8)));
			}
			catch (EOFException ex) {
				throw new EpmdException("Truncated PORT2_RESP from EPMD at " + host + ":" + this.epmdPort, ex);
			}
		}
	}

	/**
	 * Lists the names registered with the EPMD of a host ({@code NAMES_REQ}), as
	 * {@code epmd -names} does.
	 * @param host the host name or address whose EPMD to ask
	 * @return the registered names and their listen ports, in the order EPMD listed them
	 * @throws java.net.ConnectException when no EPMD listens on that host
	 * @throws EpmdException when EPMD answered nonsense
	 * @throws IOException on other I/O failures, including timeouts
	 */
	public Map<String, Integer> names(String host) throws IOException {
		try (Socket socket = connect(resolve(host))) {
			send(socket, new byte[] { (byte) EpmdProtocol.NAMES_REQ });
			InputStream in = new BufferedInputStream(socket.getInputStream());
			byte[] header = in.readNBytes(4);
			if (header.length == 0) {
				// erl_epmd reads a close without any answer as "no names"
				return Collections.emptyMap();
			}
			if (header.length < 4) {
				throw new EpmdException("Truncated NAMES_RESP from EPMD at " + host + ":" + this.epmdPort);
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			int read;
			while ((read = in.read(buffer)) != -1) {
				body.write(buffer, 0, read);
				if (body.size() > MAX_NAMES_RESPONSE) {
					throw new EpmdException("NAMES_RESP from EPMD at " + host + ":" + this.epmdPort + " exceeds "
							+ MAX_NAMES_RESPONSE + " bytes");
				}
			}
			return parseNames(body.toString(StandardCharsets.UTF_8));
		}
	}

	/**
	 * Parses the lines of a {@code NAMES_RESP} the way {@code erl_epmd} does: lines of the form
	 * {@code name <name> at port <port>}, anything else ignored.
	 */
	static Map<String, Integer> parseNames(String text) {
		Map<String, Integer> names = new LinkedHashMap<>();
		int start = 0;
		int end;
		while ((end = text.indexOf('\n', start)) >= 0) {
			String line = text.substring(start, end);
			start = end + 1;
			if (!line.startsWith("name ")) {
				continue;
			}
			int space = line.indexOf(' ', 5);
			if (space < 0 || !line.startsWith("at port ", space + 1)) {
				continue;
			}
			try {
				names.put(line.substring(5, space), Integer.parseInt(line.substring(space + 9)));
			}
			catch (NumberFormatException ex) {
				// not a name line
			}
		}
		return Collections.unmodifiableMap(names);
	}

	private Socket connect(InetAddress address) throws IOException {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress(address, this.epmdPort), this.timeoutMillis);
			socket.setSoTimeout(this.timeoutMillis);
			return socket;
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(socket);
			throw ex;
		}
	}

	private static InetAddress resolve(String host) throws IOException {
		Objects.requireNonNull(host, "host must not be null");
		return InetAddress.getByName(host);
	}

	private static void send(Socket socket, byte[] request) throws IOException {
		socket.getOutputStream().write(EpmdProtocol.frame(request));
		socket.getOutputStream().flush();
	}

	private int readResponseByte(DataInputStream in, String what) throws IOException {
		int value = in.read();
		if (value < 0) {
			throw new EpmdException("EPMD on port " + this.epmdPort + " closed the connection without answering the "
					+ what);
		}
		return value;
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// nothing to do
		}
	}

	private static InetAddress localhost() {
		try {
			return InetAddress.getByAddress("localhost", new byte[] { 127, 0, 0, 1 });
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String toString() {
		return "EpmdClient[port=" + this.epmdPort + ", timeout=" + this.timeoutMillis + "ms]";
	}

}
