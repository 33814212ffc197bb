package io.github.erlangspring.autoconfigure.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.EpmdMode;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.dist.BoundedTerms;
import io.github.erlangspring.pubsub.PgScope;
import io.github.erlangspring.pubsub.PubSubScopes;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code erlang} Actuator endpoint: what Erlang's {@code observer} shows of a node, for this
 * one. Node name, creation, distribution port and EPMD; the peers with their state, uptime and
 * traffic; the registered processes, with the mailbox depth of {@code @ErlangProcess} endpoints;
 * the {@code @ErlangRpc} functions by module; and the pg scopes with their groups and member
 * counts. The cookie is never shown.
 */
@Endpoint(id = "erlang")
public class ErlangEndpoint {

	private final ErlangNode node;

	private final EpmdMode epmdMode;

	private final Collection<String> expectedPeers;

	private final ErlangEndpointRegistry endpoints;

	private final PubSubScopes scopes;

	/**
	 * @param node the node
	 * @param epmdMode the configured EPMD mode
	 * @param expectedPeers the peers the node keeps connected to ({@code erlang.connect})
	 * @param endpoints the {@code @ErlangProcess}/{@code @ErlangRpc} endpoints, or {@code null}
	 * @param scopes the pg scopes, or {@code null}
	 */
	public ErlangEndpoint(ErlangNode node, EpmdMode epmdMode, Collection<String> expectedPeers,
			ErlangEndpointRegistry endpoints, PubSubScopes scopes) {
		this.node = node;
		this.epmdMode = epmdMode;
		this.expectedPeers = List.copyOf(expectedPeers);
		this.endpoints = endpoints;
		this.scopes = scopes;
	}

	@ReadOperation
	public NodeDescriptor node() {
		return new NodeDescriptor(this.node.name(), this.node.creation(), this.node.isRunning(),
				this.node.isAccepting(), this.node.port(),
				new EpmdDescriptor(this.epmdMode.name().toLowerCase(java.util.Locale.ROOT), this.node.epmdPort(),
						this.node.runsEmbeddedEpmd()),
				peers(), processes(), rpc(), pg());
	}

	private List<PeerDescriptor> peers() {
		Map<String, ErlangNode.ConnectionInfo> connections = this.node.connections();
		Set<String> names = new TreeSet<>(this.expectedPeers);
		names.addAll(connections.keySet());
		long now = System.currentTimeMillis();
		List<PeerDescriptor> peers = new ArrayList<>();
		for (String name : names) {
			ErlangNode.ConnectionInfo c = connections.get(name);
			boolean expected = this.expectedPeers.contains(name);
			peers.add((c != null)
					? new PeerDescriptor(name, "connected", expected, c.hidden(),
							Instant.ofEpochMilli(c.connectedAt()).toString(),
							Duration.ofMillis(Math.max(0, now - c.connectedAt())).toString(), c.messagesIn(),
							c.messagesOut(), c.bytesIn(), c.bytesOut(), c.queuedFrames())
					: new PeerDescriptor(name, "disconnected", expected, null, null, null, null, null, null, null,
							null));
		}
		return peers;
	}

	private List<ProcessDescriptor> processes() {
		Set<String> endpointNames = (this.endpoints != null) ? this.endpoints.getProcessNames() : Set.of();
		List<ProcessDescriptor> processes = new ArrayList<>();
		for (String name : new TreeSet<>(this.node.registeredNames())) {
			Mailbox mailbox = endpointNames.contains(name) ? this.endpoints.getMailbox(name) : null;
			processes.add(new ProcessDescriptor(name, endpointNames.contains(name) ? "endpoint" : "process",
					(mailbox != null) ? mailbox.queueSize() : null));
		}
		return processes;
	}

	private Map<String, List<String>> rpc() {
		Map<String, List<String>> modules = new TreeMap<>();
		if (this.endpoints != null) {
			for (String signature : this.endpoints.getRpcSignatures()) {
				int colon = signature.indexOf(':');
				modules.computeIfAbsent(signature.substring(0, colon), (module) -> new ArrayList<>())
					.add(signature.substring(colon + 1));
			}
		}
		return modules;
	}

	private List<PgScopeDescriptor> pg() {
		List<PgScopeDescriptor> descriptors = new ArrayList<>();
		if (this.scopes == null) {
			return descriptors;
		}
		for (String name : this.scopes.names()) {
			PgScope scope = this.scopes.scope(name);
			Map<String, PgGroupDescriptor> groups = new TreeMap<>();
			for (OtpErlangObject group : scope.groups()) {
				String shown = show(group);
				groups.put(shown, new PgGroupDescriptor(shown, scope.members(group).size(),
						scope.localMembers(group).size()));
			}
			descriptors.add(new PgScopeDescriptor(name, scope.isRunning(), scope.peers().size(),
					List.copyOf(groups.values())));
		}
		return descriptors;
	}

	/** A term as Erlang prints it, with printable binaries as {@code <<"text">>}. */
	static String show(OtpErlangObject term) {
		if (term instanceof OtpErlangBinary binary) {
			String text = new String(binary.binaryValue(), StandardCharsets.UTF_8);
			if (text.length() <= BoundedTerms.DEFAULT_LIMIT
					&& text.codePoints().allMatch((c) -> c >= 0x20 && c != 0x7f && c != 0xfffd)) {
				return "<<\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\">>";
			}
		}
		// group names come from peers: never printed whole
		return BoundedTerms.describe(term);
	}

	/**
	 * The node.
	 * @param name full node name
	 * @param creation creation EPMD assigned to this incarnation
	 * @param running whether the node runs
	 * @param accepting whether it lets peers connect (it waits until the endpoints run)
	 * @param port the distribution port
	 * @param epmd the EPMD it registered with
	 * @param peers connected and expected peers
	 * @param processes the registered processes
	 * @param rpc {@code function/arity} of the {@code @ErlangRpc} functions, by module
	 * @param pg the pg scopes
	 */
	public record NodeDescriptor(String name, int creation, boolean running, boolean accepting, int port,
			EpmdDescriptor epmd, List<PeerDescriptor> peers, List<ProcessDescriptor> processes,
			Map<String, List<String>> rpc, List<PgScopeDescriptor> pg) {
	}

	/**
	 * EPMD.
	 * @param mode the configured mode: {@code auto}, {@code always} or {@code off}
	 * @param port its port
	 * @param embedded whether this node runs it
	 */
	public record EpmdDescriptor(String mode, int port, boolean embedded) {
	}

	/**
	 * A peer; the connection's fields are {@code null} when it is not connected.
	 * @param node the peer's name
	 * @param state {@code connected} or {@code disconnected}
	 * @param expected whether it is one of {@code erlang.connect}
	 * @param hidden whether it is a hidden node
	 * @param connectedAt when the connection was established (ISO-8601)
	 * @param uptime how long it has been up (ISO-8601 duration)
	 * @param messagesIn frames received on the connection
	 * @param messagesOut frames sent
	 * @param bytesIn bytes received
	 * @param bytesOut bytes sent
	 * @param queuedFrames frames waiting to be written
	 */
	public record PeerDescriptor(String node, String state, boolean expected, Boolean hidden, String connectedAt,
			String uptime, Long messagesIn, Long messagesOut, Long bytesIn, Long bytesOut, Integer queuedFrames) {
	}

	/**
	 * A registered process.
	 * @param name the registered name
	 * @param type {@code endpoint} for an {@code @ErlangProcess}, else {@code process}
	 * @param mailboxDepth messages waiting, for endpoints
	 */
	public record ProcessDescriptor(String name, String type, Integer mailboxDepth) {
	}

	/**
	 * A pg scope.
	 * @param scope its name
	 * @param running whether its process runs
	 * @param peerScopes scope processes of other nodes it exchanges membership with
	 * @param groups the groups with members
	 */
	public record PgScopeDescriptor(String scope, boolean running, int peerScopes, List<PgGroupDescriptor> groups) {
	}

	/**
	 * A pg group.
	 * @param group the group, as an Erlang term
	 * @param members members on all nodes
	 * @param localMembers members on this node
	 */
	public record PgGroupDescriptor(String group, int members, int localMembers) {
	}

}
