package io.github.erlangspring.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of an {@link ErlangNode}. Build with {@link #builder(String)}; every setting but the
 * name has a default matching OTP's.
 */
public final class NodeConfig {

	private final NodeName name;

	private final String cookie;

	private final boolean hidden;

	private final EpmdMode epmdMode;

	private final int epmdPort;

	private final int listenPort;

	private final Duration netTicktime;

	private final Duration connectTimeout;

	private final int maxFrameSize;

	private final int outboundQueueCapacity;

	private final int mailboxCapacity;

	private final Executor executor;

	private final Duration shutdownTimeout;

	private final boolean virtualThreads;

	private final boolean deferAccept;

	private final javax.net.ssl.SSLContext sslContext;

	private final NodeObserver observer;

	private final int maxPendingHandshakes;

	private final int maxConnections;

	private final int maxConcurrentCalls;

	private final java.util.List<String> allow;

	private final String[] tlsProtocols;

	private final String[] tlsCiphers;

	private final boolean tlsVerifyHostname;

	private final java.net.InetAddress epmdAddress;

	private NodeConfig(Builder builder) {
		this.name = builder.name;
		this.cookie = (builder.cookie != null) ? builder.cookie : readDefaultCookie();
		this.hidden = builder.hidden;
		this.epmdMode = builder.epmdMode;
		this.epmdPort = builder.epmdPort;
		this.listenPort = builder.listenPort;
		this.netTicktime = builder.netTicktime;
		this.connectTimeout = builder.connectTimeout;
		this.maxFrameSize = builder.maxFrameSize;
		this.outboundQueueCapacity = builder.outboundQueueCapacity;
		this.mailboxCapacity = builder.mailboxCapacity;
		this.executor = builder.executor;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.virtualThreads = builder.virtualThreads;
		this.deferAccept = builder.deferAccept;
		this.sslContext = builder.sslContext;
		this.observer = NodeObservers.of(builder.observers);
		this.maxPendingHandshakes = builder.maxPendingHandshakes;
		this.maxConnections = builder.maxConnections;
		this.maxConcurrentCalls = builder.maxConcurrentCalls;
		this.allow = java.util.List.copyOf(builder.allow);
		this.tlsProtocols = builder.tlsProtocols;
		this.tlsCiphers = builder.tlsCiphers;
		this.tlsVerifyHostname = builder.tlsVerifyHostname;
		this.epmdAddress = builder.epmdAddress;
	}

	/** @return the address an embedded EPMD listens on, or {@code null} for every interface */
	public java.net.InetAddress epmdAddress() {
		return this.epmdAddress;
	}

	/**
	 * Applies the TLS protocols and cipher suites of this configuration to a socket.
	 * @param socket a TLS socket or server socket of this node
	 */
	void configureTls(Object socket) {
		if (socket instanceof javax.net.ssl.SSLSocket tls) {
			if (this.tlsProtocols != null) {
				tls.setEnabledProtocols(this.tlsProtocols);
			}
			if (this.tlsCiphers != null) {
				tls.setEnabledCipherSuites(this.tlsCiphers);
			}
		}
		else if (socket instanceof javax.net.ssl.SSLServerSocket tls) {
			if (this.tlsProtocols != null) {
				tls.setEnabledProtocols(this.tlsProtocols);
			}
			if (this.tlsCiphers != null) {
				tls.setEnabledCipherSuites(this.tlsCiphers);
			}
		}
	}

	/** @return whether a peer's TLS certificate must name the host we connect to */
	public boolean tlsVerifyHostname() {
		return this.tlsVerifyHostname;
	}

	/**
	 * Starts a configuration.
	 * @param nodeName the node name, see {@link NodeName#parse(String)}
	 * @return a builder
	 */
	public static Builder builder(String nodeName) {
		return new Builder(NodeName.parse(nodeName));
	}

	/**
	 * Reads {@code ~/.erlang.cookie} as OTP does.
	 * @return the cookie
	 * @throws IllegalStateException when the file is missing or unreadable
	 */
	public static String readDefaultCookie() {
		Path file = Path.of(System.getProperty("user.home"), ".erlang.cookie");
		try {
			String cookie = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
			if (cookie.isEmpty()) {
				throw new IllegalStateException("cookie file " + file + " is empty");
			}
			return cookie;
		}
		catch (IOException ex) {
			throw new IllegalStateException("no cookie given and cookie file " + file + " cannot be read ("
					+ ex.getClass().getSimpleName() + ")", ex);
		}
	}

	public NodeName name() {
		return this.name;
	}

	/** @return the cookie; never logged or printed by this library */
	public String cookie() {
		return this.cookie;
	}

	public boolean hidden() {
		return this.hidden;
	}

	public EpmdMode epmdMode() {
		return this.epmdMode;
	}

	public int epmdPort() {
		return this.epmdPort;
	}

	public int listenPort() {
		return this.listenPort;
	}

	public Duration netTicktime() {
		return this.netTicktime;
	}

	public Duration connectTimeout() {
		return this.connectTimeout;
	}

	public int maxFrameSize() {
		return this.maxFrameSize;
	}

	public int outboundQueueCapacity() {
		return this.outboundQueueCapacity;
	}

	public int mailboxCapacity() {
		return this.mailboxCapacity;
	}

	/** @return where RPC functions run, or {@code null} for the node's own pool */
	public Executor executor() {
		return this.executor;
	}

	/**
	 * @return the TLS context of distribution over TLS ({@code -proto_dist inet_tls}), or
	 * {@code null} for plain TCP
	 */
	public javax.net.ssl.SSLContext sslContext() {
		return this.sslContext;
	}

	/** @return whether incoming connections wait for {@link ErlangNode#startAccepting()} */
	public boolean deferAccept() {
		return this.deferAccept;
	}

	/** @return how long {@link ErlangNode#close()} lets running calls finish */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/** @return whether the node's work runs on virtual threads (where the JVM has them) */
	public boolean virtualThreads() {
		return this.virtualThreads;
	}

	/** @return what hears the node's events: the observers added, as one, or {@link NodeObserver#NONE} */
	public NodeObserver observer() {
		return this.observer;
	}

	/** @return how many incoming connections may be in their handshake at once */
	public int maxPendingHandshakes() {
		return this.maxPendingHandshakes;
	}

	/** @return how many peers may be connected at once */
	public int maxConnections() {
		return this.maxConnections;
	}

	/** @return how many calls from peers may run at once */
	public int maxConcurrentCalls() {
		return this.maxConcurrentCalls;
	}

	/**
	 * @return the nodes allowed to connect in, as {@code net_kernel:allow/1} takes them (node
	 * names, {@code "host"} or {@code "name@"}); empty allows every node that has the cookie
	 */
	public java.util.List<String> allow() {
		return this.allow;
	}

	@Override
	public String toString() {
		return "NodeConfig[" + this.name + ", hidden=" + this.hidden + ", epmd=" + this.epmdMode + ":" + this.epmdPort
				+ ", tls=" + (this.sslContext != null) + ", cookie=****]";
	}

	/** Builds a {@link NodeConfig}. */
	public static final class Builder {

		private final NodeName name;

		private String cookie;

		private boolean hidden = true;

		private EpmdMode epmdMode = EpmdMode.AUTO;

		private int epmdPort = defaultEpmdPort();

		private int listenPort;

		private Duration netTicktime = Duration.ofSeconds(60);

		private Duration connectTimeout = Duration.ofSeconds(7);

		private int maxFrameSize = 64 * 1024 * 1024;

		private int outboundQueueCapacity = 16 * 1024;

		private int mailboxCapacity;

		private Executor executor;

		private Duration shutdownTimeout = Duration.ofSeconds(5);

		private boolean virtualThreads;

		private boolean deferAccept;

		private javax.net.ssl.SSLContext sslContext;

		private final java.util.List<NodeObserver> observers = new java.util.ArrayList<>();

		private int maxPendingHandshakes = 32;

		private int maxConnections = 1024;

		private int maxConcurrentCalls = 1024;

		private java.util.List<String> allow = java.util.List.of();

		private String[] tlsProtocols;

		private String[] tlsCiphers;

		private boolean tlsVerifyHostname;

		private java.net.InetAddress epmdAddress;

		private Builder(NodeName name) {
			this.name = name;
		}

		private static int defaultEpmdPort() {
			String env = System.getenv("ERL_EPMD_PORT");
			try {
				return (env != null && !env.isBlank()) ? Integer.parseInt(env.strip()) : 4369;
			}
			catch (NumberFormatException ex) {
				return 4369;
			}
		}

		/** The cookie; default: the content of {@code ~/.erlang.cookie}. */
		public Builder cookie(String cookie) {
			this.cookie = Objects.requireNonNull(cookie, "cookie");
			return this;
		}

		/** Whether the node is hidden (default {@code true}, as JInterface nodes are). */
		public Builder hidden(boolean hidden) {
			this.hidden = hidden;
			return this;
		}

		/** How to find EPMD (default {@link EpmdMode#AUTO}). */
		public Builder epmdMode(EpmdMode mode) {
			this.epmdMode = Objects.requireNonNull(mode);
			return this;
		}

		/** EPMD's port (default {@code $ERL_EPMD_PORT} or 4369). */
		public Builder epmdPort(int port) {
			this.epmdPort = port;
			return this;
		}

		/**
		 * Address an embedded EPMD listens on (default {@code null}: every interface, as
		 * {@code epmd}; {@code ERL_EPMD_ADDRESS} is epmd's equivalent). A loopback address keeps
		 * it from other hosts, for peers that all run on this one.
		 */
		public Builder epmdAddress(java.net.InetAddress address) {
			this.epmdAddress = address;
			return this;
		}

		/** Port to accept distribution connections on (default 0: any free port). */
		public Builder listenPort(int port) {
			this.listenPort = port;
			return this;
		}

		/** {@code net_ticktime} (default 60 s): a peer silent this long is declared down. */
		public Builder netTicktime(Duration ticktime) {
			this.netTicktime = ticktime;
			return this;
		}

		/** How long to wait for a connection and handshake (default 7 s, as OTP). */
		public Builder connectTimeout(Duration timeout) {
			this.connectTimeout = timeout;
			return this;
		}

		/** Largest frame accepted from a peer (default 64 MiB); larger ones close the connection. */
		public Builder maxFrameSize(int bytes) {
			this.maxFrameSize = bytes;
			return this;
		}

		/**
		 * Frames that may wait to be written to one peer (default 16384). Past it, a sender waits
		 * for room, at most the stuck timeout ({@code net_ticktime}), after which the connection is
		 * closed as stuck; messages sent to a node whose connection is being set up wait in a queue
		 * of the same bound, past which they are dropped.
		 */
		public Builder outboundQueueCapacity(int frames) {
			this.outboundQueueCapacity = frames;
			return this;
		}

		/** Default bound of a mailbox's queue; 0 (the default) is unbounded, as in Erlang. */
		public Builder mailboxCapacity(int messages) {
			this.mailboxCapacity = messages;
			return this;
		}

		/** Where RPC functions and process handlers run (default: a pool owned by the node). */
		public Builder executor(Executor executor) {
			this.executor = executor;
			return this;
		}

		/** How long {@link ErlangNode#close()} lets running calls finish (default 5 s). */
		public Builder shutdownTimeout(Duration timeout) {
			this.shutdownTimeout = Objects.requireNonNull(timeout);
			return this;
		}

		/**
		 * Whether calls into Java, connection readers and the processes of the node run on
		 * virtual threads (default {@code false}); ignored on a JVM without them (before Java 21).
		 * The limit of calls running at once holds either way.
		 */
		public Builder virtualThreads(boolean virtual) {
			this.virtualThreads = virtual;
			return this;
		}

		/**
		 * Whether incoming connections wait until {@link ErlangNode#startAccepting()} (default
		 * {@code false}): the node registers and can connect out at once, while peers that
		 * connect in are held (their handshake waits) until what they will call is ready.
		 */
		public Builder deferAccept(boolean defer) {
			this.deferAccept = defer;
			return this;
		}

		/**
		 * Runs distribution over TLS, as Erlang nodes started with {@code -proto_dist inet_tls}
		 * do: both directions are mutually authenticated (a peer without a certificate the
		 * context trusts is refused), then the usual cookie handshake runs inside TLS.
		 * @param sslContext key material (our certificate) and trust material (the peers' CA)
		 */
		public Builder tls(javax.net.ssl.SSLContext sslContext) {
			this.sslContext = sslContext;
			return this;
		}

		/**
		 * Restricts TLS to these protocols and cipher suites ({@code null}: the JDK's defaults),
		 * as {@code inet_tls_dist} applies the versions and ciphers of its options file.
		 */
		public Builder tlsRestrictions(String[] protocols, String[] ciphers) {
			this.tlsProtocols = (protocols != null) ? protocols.clone() : null;
			this.tlsCiphers = (ciphers != null) ? ciphers.clone() : null;
			return this;
		}

		/**
		 * Whether, when connecting over TLS, the peer's certificate must name the host of the
		 * node name (as HTTPS checks a server's name) (default {@code false}: any certificate
		 * the trust material accepts is taken for any node name).
		 */
		public Builder tlsVerifyHostname(boolean verify) {
			this.tlsVerifyHostname = verify;
			return this;
		}

		/**
		 * Adds an observer of the node's events (connections, calls, handled messages), e.g.
		 * for metrics. Observers hear events in the order they were added.
		 */
		public Builder addObserver(NodeObserver observer) {
			this.observers.add(Objects.requireNonNull(observer, "observer"));
			return this;
		}

		/**
		 * Incoming connections that may be in their handshake at once (default 32), each on one
		 * thread. When all are taken, a new connection closes the oldest one that has not yet
		 * sent its name (else the oldest of all), so that idle connections cannot keep a real
		 * peer, which sends its name at once, from connecting.
		 */
		public Builder maxPendingHandshakes(int handshakes) {
			this.maxPendingHandshakes = handshakes;
			return this;
		}

		/** Peers that may be connected at once (default 1024); more are refused. */
		public Builder maxConnections(int connections) {
			this.maxConnections = connections;
			return this;
		}

		/**
		 * Calls from peers that may run at once (default 1024); beyond, a spawn is refused with
		 * {@code system_limit}, as Erlang refuses one past its process limit.
		 */
		public Builder maxConcurrentCalls(int calls) {
			this.maxConcurrentCalls = calls;
			return this;
		}

		/**
		 * Nodes allowed to connect in, as {@code net_kernel:allow/1}: node names
		 * ({@code "app@host"}), host names ({@code "host"}) or names before the {@code @}
		 * ({@code "app@"}). Others are refused with {@code not_allowed} in the handshake. Empty
		 * (the default) allows every node.
		 */
		public Builder allow(java.util.Collection<String> nodes) {
			this.allow = java.util.List.copyOf(nodes);
			return this;
		}

		public NodeConfig build() {
			if (this.netTicktime.toMillis() < 400) {
				throw new IllegalArgumentException("net_ticktime must be at least 400 ms");
			}
			if (this.maxFrameSize < 1024) {
				throw new IllegalArgumentException("max frame size must be at least 1024 bytes");
			}
			if (this.maxPendingHandshakes < 1 || this.maxConnections < 1 || this.maxConcurrentCalls < 1) {
				throw new IllegalArgumentException("max pending handshakes, max connections and max concurrent calls "
						+ "must be at least 1");
			}
			for (String entry : this.allow) {
				if (!AllowList.isValidEntry(entry)) {
					throw new IllegalArgumentException("invalid entry '" + entry + "' in the allow list: expected a node "
							+ "name (name@host), a host name or a name followed by @");
				}
			}
			return new NodeConfig(this);
		}

	}

}
