package io.github.erlangspring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.erlangspring.node.EpmdMode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the Erlang node ({@code erlang.*}).
 */
@ConfigurationProperties("erlang")
public class ErlangProperties {

	/**
	 * Whether to enable the Erlang integration.
	 */
	private boolean enabled = true;

	/**
	 * Node name, e.g. "app@127.0.0.1" (long name) or "app@myhost" (short name); a bare "app" gets
	 * this machine's short host name. No node starts without it.
	 */
	private String node;

	/**
	 * Cookie shared with the cluster. Default: the content of the cookie file.
	 */
	private String cookie;

	/**
	 * Cookie file read when no cookie is given.
	 */
	private Path cookieFile = Path.of(System.getProperty("user.home"), ".erlang.cookie");

	/**
	 * Whether the node is hidden: not part of the other nodes' nodes() and not synced by global.
	 */
	private boolean hidden = true;

	/**
	 * Port to accept distribution connections on; 0 picks a free port.
	 */
	private int port;

	/**
	 * Time after which a silent peer is declared down (Erlang's net_ticktime).
	 */
	private Duration netTicktime = Duration.ofSeconds(60);

	/**
	 * Time allowed to connect to a peer, handshake included.
	 */
	private Duration connectTimeout = Duration.ofSeconds(7);

	/**
	 * Nodes to connect to at start-up and to keep connected, reconnecting with backoff.
	 */
	private List<String> connect = new ArrayList<>();

	/**
	 * Node used by the template when a call names none.
	 */
	private String defaultPeer;

	/**
	 * Nodes allowed to connect to this node, as Erlang's net_kernel:allow/1: node names
	 * ("app@host"), host names ("host") or names followed by "@" ("app@"). Others are refused in
	 * the handshake. Empty allows every node that has the cookie.
	 */
	private List<String> allow = new ArrayList<>();

	private final Epmd epmd = new Epmd();

	private final Ssl ssl = new Ssl();

	private final Rpc rpc = new Rpc();

	private final Limits limits = new Limits();

	private final Reconnect reconnect = new Reconnect();

	private final Cluster cluster = new Cluster();

	private final Conversion conversion = new Conversion();

	private final Observations observations = new Observations();

	private final Discovery discovery = new Discovery();

	/**
	 * Time running calls into this node get to finish when it stops.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * Whether the running node keeps the JVM alive (a non-daemon thread from its start until the
	 * context closes), so that an application with no web server keeps serving Erlang.
	 */
	private boolean keepAlive = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getNode() {
		return this.node;
	}

	public void setNode(String node) {
		this.node = node;
	}

	public String getCookie() {
		return this.cookie;
	}

	public void setCookie(String cookie) {
		this.cookie = cookie;
	}

	public Path getCookieFile() {
		return this.cookieFile;
	}

	public void setCookieFile(Path cookieFile) {
		this.cookieFile = cookieFile;
	}

	public boolean isHidden() {
		return this.hidden;
	}

	public void setHidden(boolean hidden) {
		this.hidden = hidden;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public Duration getNetTicktime() {
		return this.netTicktime;
	}

	public void setNetTicktime(Duration netTicktime) {
		this.netTicktime = netTicktime;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public List<String> getConnect() {
		return this.connect;
	}

	public void setConnect(List<String> connect) {
		this.connect = connect;
	}

	public String getDefaultPeer() {
		return this.defaultPeer;
	}

	public void setDefaultPeer(String defaultPeer) {
		this.defaultPeer = defaultPeer;
	}

	public boolean isKeepAlive() {
		return this.keepAlive;
	}

	public void setKeepAlive(boolean keepAlive) {
		this.keepAlive = keepAlive;
	}

	public List<String> getAllow() {
		return this.allow;
	}

	public void setAllow(List<String> allow) {
		this.allow = allow;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Epmd getEpmd() {
		return this.epmd;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Rpc getRpc() {
		return this.rpc;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Conversion getConversion() {
		return this.conversion;
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	public Discovery getDiscovery() {
		return this.discovery;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	@Override
	public String toString() {
		return "ErlangProperties[node=" + this.node + ", cookie=****]";
	}

	/**
	 * EPMD (Erlang Port Mapper Daemon) settings.
	 */
	public static class Epmd {

		/**
		 * How to find EPMD: "auto" uses the running one or starts one in this JVM, "off" requires
		 * a running one, "always" serves it from this JVM.
		 */
		private EpmdMode mode = EpmdMode.AUTO;

		/**
		 * EPMD port. Default: $ERL_EPMD_PORT, else 4369.
		 */
		private Integer port;

		/**
		 * Address the embedded EPMD listens on, e.g. 127.0.0.1 when every peer runs on this
		 * host. Default: every interface, as epmd.
		 */
		private java.net.InetAddress address;

		public java.net.InetAddress getAddress() {
			return this.address;
		}

		public void setAddress(java.net.InetAddress address) {
			this.address = address;
		}

		public EpmdMode getMode() {
			return this.mode;
		}

		public void setMode(EpmdMode mode) {
			this.mode = mode;
		}

		public Integer getPort() {
			return this.port;
		}

		public void setPort(Integer port) {
			this.port = port;
		}

	}

	/**
	 * Distribution over TLS, as Erlang's "-proto_dist inet_tls".
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) holding this node's certificate and the CA
		 * its peers' certificates must chain to. Setting it turns TLS on, with mutual
		 * authentication.
		 */
		private String bundle;

		/**
		 * Whether a peer's certificate must name the host of the node name this node connects
		 * to (as HTTPS checks a server's name). Without it, any certificate the bundle's trust
		 * store accepts is taken for any node.
		 */
		private boolean verifyHostname;

		public String getBundle() {
			return this.bundle;
		}

		public boolean isVerifyHostname() {
			return this.verifyHostname;
		}

		public void setVerifyHostname(boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
		}

		public void setBundle(String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Calls from this node.
	 */
	public static class Rpc {

		/**
		 * Timeout of calls that take none (template rpc, call with a type).
		 */
		private Duration timeout = Duration.ofSeconds(5);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Protective limits.
	 */
	public static class Limits {

		/**
		 * Largest frame accepted from a peer; a larger one closes that connection.
		 */
		private DataSize maxFrameSize = DataSize.ofMegabytes(64);

		/**
		 * Frames that may wait to be written to one peer. Past it a sender waits for room, at most
		 * net_ticktime, then the connection is closed as stuck. Messages to a node being connected
		 * wait in a queue of the same bound, past which they are dropped.
		 */
		private int outboundQueue = 16384;

		/**
		 * Messages a process mailbox holds before further ones are dropped (and counted); 0 is
		 * unbounded, as in Erlang.
		 */
		private int mailboxCapacity;

		/**
		 * Incoming connections that may be in their handshake at once, each on one thread. When
		 * all are taken, a new connection closes the oldest one that has not sent its name yet
		 * (else the oldest), so that idle connections cannot keep real peers out.
		 */
		private int maxPendingHandshakes = 32;

		/**
		 * Peers that may be connected at once; more are refused.
		 */
		private int maxConnections = 1024;

		/**
		 * Calls from peers that may run at once; beyond, a call is refused with system_limit, as
		 * Erlang refuses a spawn past its process limit.
		 */
		private int maxConcurrentCalls = 1024;

		public int getMaxPendingHandshakes() {
			return this.maxPendingHandshakes;
		}

		public void setMaxPendingHandshakes(int maxPendingHandshakes) {
			this.maxPendingHandshakes = maxPendingHandshakes;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public int getMaxConcurrentCalls() {
			return this.maxConcurrentCalls;
		}

		public void setMaxConcurrentCalls(int maxConcurrentCalls) {
			this.maxConcurrentCalls = maxConcurrentCalls;
		}

		public DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public int getOutboundQueue() {
			return this.outboundQueue;
		}

		public void setOutboundQueue(int outboundQueue) {
			this.outboundQueue = outboundQueue;
		}

		public int getMailboxCapacity() {
			return this.mailboxCapacity;
		}

		public void setMailboxCapacity(int mailboxCapacity) {
			this.mailboxCapacity = mailboxCapacity;
		}

	}

	/**
	 * Reconnection to the peers in "erlang.connect".
	 */
	public static class Observations {

		/**
		 * Whether to observe the interactions between Java and Erlang (erlang.client.requests,
		 * erlang.server.requests) when the application has an ObservationRegistry.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class Conversion {

		/**
		 * Atom that Java null is written as: "undefined" (Erlang's convention) or "nil" (Elixir's).
		 * Both read as null.
		 */
		private NullAtom nullAtom = NullAtom.UNDEFINED;

		public NullAtom getNullAtom() {
			return this.nullAtom;
		}

		public void setNullAtom(NullAtom nullAtom) {
			this.nullAtom = nullAtom;
		}

	}

	/** The atom Java {@code null} is written as. */
	public enum NullAtom {

		/** {@code undefined}, Erlang's convention. */
		UNDEFINED,

		/** {@code nil}, Elixir's. */
		NIL

	}

	public static class Cluster {

		/**
		 * Whether to follow the cluster of the connected nodes: connect to every node they are
		 * connected to, and to nodes that join later, as connect_all makes a visible Erlang node do.
		 */
		private boolean follow = true;

		/**
		 * Time between two looks at the cluster (the connected nodes' nodes, and DNS discovery).
		 */
		private Duration interval = Duration.ofSeconds(2);

		public boolean isFollow() {
			return this.follow;
		}

		public void setFollow(boolean follow) {
			this.follow = follow;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

	}

	public static class Discovery {

		/**
		 * Erlang nodes to find through DNS, as "alive@hostname": every address that hostname
		 * resolves to (A records, AAAA for an IPv6 node) is a node "alive@address", resolved again
		 * every erlang.cluster.interval. A Kubernetes headless service gives such a name.
		 */
		private List<String> dns = new ArrayList<>();

		public List<String> getDns() {
			return this.dns;
		}

		public void setDns(List<String> dns) {
			this.dns = dns;
		}

	}

	public static class Reconnect {

		/**
		 * First delay before trying a lost peer again.
		 */
		private Duration initialBackoff = Duration.ofMillis(200);

		/**
		 * Longest delay between attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

}
