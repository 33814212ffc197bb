package io.github.erlangspring.pubsub;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.GenMessage;
import io.github.erlangspring.node.GenResult;
import io.github.erlangspring.node.GenServer;
import io.github.erlangspring.node.GenServerProcess;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.SpawnOptions;
import io.github.erlangspring.node.dist.BoundedTerms;
import io.github.erlangspring.node.NodeListener;

/**
 * The scope process: a registered process, run by the node's scheduler (no thread of its own),
 * that handles pg's messages one at a time, as the {@code pg} gen_server does. Java calls
 * ({@link #join}, {@link #leave}) take the same lock, so they are serialised with the messages:
 * the change is made at once (local reads see it when the call returns) and queued in a
 * {@link PgOutbox}, which the scope process sends to the peers at its next activation (a message
 * to itself, no timer). Joins made in a burst (100,000 subscriptions in a loop) therefore leave as
 * a few {@code {join, Self, Group, Pids}} messages, not one per join; a single join leaves as soon
 * as the scheduler runs the scope. Peers see this scope's changes in the order they happened:
 * before handling any other message (which may add a peer, or answer one with a {@code sync} of
 * the current state) the scope sends what is queued.
 */
final class DefaultPgScope implements PgScope, NodeListener {

	private static final Logger logger = LoggerFactory.getLogger(DefaultPgScope.class);

	private static final OtpErlangAtom DISCOVER = new OtpErlangAtom("discover");

	private static final OtpErlangAtom SYNC = new OtpErlangAtom("sync");

	/** What the scope sends itself to send its outbox: any message would do, this one says why. */
	private static final OtpErlangAtom FLUSH = new OtpErlangAtom("$esb_pg_flush");

	private static final OtpErlangAtom NODEUP = new OtpErlangAtom("nodeup");

	private static final OtpErlangAtom BADARG = new OtpErlangAtom("badarg");

	private static final OtpErlangAtom SHUTDOWN = new OtpErlangAtom("shutdown");

	private static final OtpErlangAtom NOCONNECTION = new OtpErlangAtom("noconnection");

	private static final long[] REDISCOVER_DELAYS_MS = { 100, 1000, 5000 };

	private final ErlangNode node;

	private final String name;

	private Mailbox mailbox;

	private OtpErlangPid self;

	private final PgGroups groups = new PgGroups();

	/** Changes not yet sent to the peers; guarded by {@link #lock}. */
	private final PgOutbox outbox = new PgOutbox();

	/** Whether a {@link #FLUSH} is on its way to the scope process; guarded by {@link #lock}. */
	private boolean flushScheduled;

	/** Serialises the scope's changes; package-private so a test can keep the scope busy. */
	final Object lock = new Object();

	private volatile boolean running = true;

	private DefaultPgScope(ErlangNode node, String name) {
		this.node = node;
		this.name = name;
	}

	static PgScope start(ErlangNode node, String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("a pg scope needs a name");
		}
		DefaultPgScope scope = new DefaultPgScope(node, name);
		synchronized (scope.lock) {
			// under the lock: a message to the name waits until the scope knows its process
			scope.mailbox = node.spawn(new GenServerProcess(scope.new Loop()), SpawnOptions.DEFAULT.withName(name));
			scope.self = scope.mailbox.self();
		}
		node.addNodeListener(scope);
		synchronized (scope.lock) {
			for (String peer : node.connectedNodes()) {
				scope.discover(peer);
			}
		}
		logger.debug("pg scope {} started on {} as {}", name, node.name(), scope.self);
		return scope;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public OtpErlangPid pid() {
		return this.self;
	}

	@Override
	public ErlangNode node() {
		return this.node;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void join(OtpErlangObject group, OtpErlangPid... pids) {
		List<OtpErlangPid> members = local(pids);
		synchronized (this.lock) {
			checkRunning();
			OtpErlangObject key = PgGroups.canonical(group);
			this.groups.joinLocal(key, members, this.mailbox::monitor);
			this.outbox.join(key, members);
			scheduleFlush();
		}
	}

	@Override
	public boolean leave(OtpErlangObject group, OtpErlangPid... pids) {
		List<OtpErlangPid> members = local(pids);
		synchronized (this.lock) {
			checkRunning();
			OtpErlangObject key = PgGroups.canonical(group);
			if (!this.groups.leaveLocal(key, members, this.mailbox::demonitor)) {
				return false;
			}
			this.outbox.leave(members, List.of(key));
			scheduleFlush();
			return true;
		}
	}

	@Override
	public List<OtpErlangPid> members(OtpErlangObject group) {
		return this.groups.members(PgGroups.canonical(group));
	}

	@Override
	public List<OtpErlangPid> localMembers(OtpErlangObject group) {
		return this.groups.localMembers(PgGroups.canonical(group));
	}

	@Override
	public Set<OtpErlangObject> groups() {
		return this.groups.groups();
	}

	@Override
	public List<OtpErlangPid> peers() {
		synchronized (this.lock) {
			return this.groups.peers();
		}
	}

	@Override
	public void nodeUp(String peer, boolean hidden) {
		// As net_kernel's nodeup message: handled in order with everything else the scope receives.
		if (this.running) {
			this.node.send(this.self, tuple(NODEUP, new OtpErlangAtom(peer)));
		}
	}

	@Override
	public void close() {
		synchronized (this.lock) {
			if (!this.running) {
				return;
			}
			this.running = false;
			this.node.removeNodeListener(this);
			this.groups.clear();
			this.outbox.clear();
		}
		this.mailbox.close(SHUTDOWN);
		logger.debug("pg scope {} on {} stopped", this.name, this.node.name());
	}

	/**
	 * The scope's behaviour, on the engine's {@code gen_server} ({@link GenServerProcess}, which
	 * also answers {@code sys:get_state/1} and {@code sys:get_status/1}): each message handled
	 * under the lock, in order, after what the outbox held was sent; then what the message (or
	 * Java calls meanwhile) queued is sent, outside the lock, so joins go on while it is encoded
	 * and written. Only this process sends the outbox, so messages leave in order. A failure on
	 * one message is logged; an {@code Error} crashes the scope as it would crash pg (the process
	 * exits with
	 * {@code {'java.lang.SomeError', <<"message">>}}, leaving its name free; its peers see it go).
	 */
	private final class Loop implements GenServer {

		/** pg's handle_call/3 raises badarg for anything but its local API: the caller fails. */
		@Override
		public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) {
			synchronized (DefaultPgScope.this.lock) {
				if (DefaultPgScope.this.running) {
					self.failCall(from.term(), BADARG);
				}
			}
			return GenResult.noReply();
		}

		@Override
		public GenResult.Async handleCast(Mailbox self, OtpErlangObject request) {
			return handleLocked(request, () -> DefaultPgScope.this.handleCast(request));
		}

		@Override
		public GenResult.Async handleInfo(Mailbox self, OtpErlangObject message) {
			return handleLocked(message, () -> DefaultPgScope.this.handle(message));
		}

		private GenResult.Async handleLocked(OtpErlangObject message, BooleanSupplier handling) {
			Flush queued;
			synchronized (DefaultPgScope.this.lock) {
				if (!DefaultPgScope.this.running) {
					return GenResult.noReply();
				}
				if (!FLUSH.equals(message)) {
					// the message may add a peer or send one a sync of the current state
					send(drainOutbox());
					try {
						if (!handling.getAsBoolean()) {
							logger.debug("pg scope {} ignored {}", DefaultPgScope.this.name, message);
						}
					}
					catch (RuntimeException ex) {
						logger.warn("pg scope {} on {} failed on {}", DefaultPgScope.this.name,
								DefaultPgScope.this.node.name(), BoundedTerms.describe(message), ex);
					}
				}
				queued = drainOutbox();
			}
			send(queued);
			return GenResult.noReply();
		}

		@Override
		public void terminate(Mailbox box, OtpErlangObject reason) {
			DefaultPgScope.this.exited(reason);
		}

		/** {@code #{scope => Name, local => #{Group => [Pid]}, peers => [ScopePid]}}: pg's state, as a map. */
		@Override
		public OtpErlangObject systemState() {
			synchronized (DefaultPgScope.this.lock) {
				return DefaultPgScope.this.systemState();
			}
		}

	}

	private void exited(OtpErlangObject reason) {
		synchronized (this.lock) {
			if (this.running) {
				this.running = false;
				this.node.removeNodeListener(this);
				this.groups.clear();
				this.outbox.clear();
				if (SHUTDOWN.equals(reason)) {
					logger.debug("pg scope {} on {} exited: shutdown", this.name, this.node.name());
				}
				else {
					logger.warn("pg scope {} on {} exited: {}", this.name, this.node.name(),
							BoundedTerms.describe(reason));
				}
			}
		}
	}

	/** @return whether {@code message} is one of pg's; calls and casts come decoded ({@link Loop}) */
	private boolean handle(OtpErlangObject message) {
		OtpErlangTuple tuple = (message instanceof OtpErlangTuple t && t.arity() > 1
				&& t.elementAt(0) instanceof OtpErlangAtom) ? t : null;
		String tag = (tuple != null) ? ((OtpErlangAtom) tuple.elementAt(0)).atomValue() : "";
		return switch (tag) {
			// {discover, Peer, Version} is what pg accepts from OTP 26 on, for future versions.
			case "discover" -> (tuple.arity() == 2 || tuple.arity() == 3) && tuple.elementAt(1) instanceof OtpErlangPid peer
					&& discovered(peer);
			case "join" -> tuple.arity() == 4 && handleJoin(tuple);
			case "leave" -> tuple.arity() == 4 && handleLeave(tuple);
			case "DOWN" -> tuple.arity() == 5 && tuple.elementAt(1) instanceof OtpErlangRef ref
					&& tuple.elementAt(3) instanceof OtpErlangPid pid && down(ref, pid, tuple.elementAt(4));
			case "nodeup" -> tuple.arity() == 2 && tuple.elementAt(1) instanceof OtpErlangAtom peer
					&& discover(peer.atomValue());
			case "nodedown" -> true;
			default -> false;
		};
	}

	private OtpErlangObject systemState() {
		Map<OtpErlangObject, List<OtpErlangPid>> local = this.groups.allLocalPids();
		OtpErlangObject[] groups = local.keySet().toArray(new OtpErlangObject[0]);
		OtpErlangObject[] members = new OtpErlangObject[groups.length];
		for (int i = 0; i < groups.length; i++) {
			members[i] = new OtpErlangList(local.get(groups[i]).toArray(new OtpErlangObject[0]));
		}
		return new OtpErlangMap(
				new OtpErlangObject[] { new OtpErlangAtom("scope"), new OtpErlangAtom("local"), new OtpErlangAtom("peers") },
				new OtpErlangObject[] { new OtpErlangAtom(this.name), new OtpErlangMap(groups, members),
						new OtpErlangList(this.groups.peers().toArray(new OtpErlangObject[0])) });
	}

	/** Sends {@code {discover, Self}} to the scope of that node, as pg does on nodeup. */
	private boolean discover(String peerNode) {
		if (!peerNode.equals(this.node.name())) {
			sendNoConnect(peerNode, () -> this.mailbox.send(this.name, peerNode, tuple(DISCOVER, this.self)));
		}
		return true;
	}

	private boolean discovered(OtpErlangPid peer) {
		sendNoConnect(peer.node(), () -> this.mailbox.send(peer, syncMessage()));
		if (!this.groups.knowsPeer(peer)) {
			this.groups.addPeer(peer, this.mailbox.monitor(peer));
			sendNoConnect(peer.node(), () -> this.mailbox.send(peer, tuple(DISCOVER, this.self)));
		}
		return true;
	}

	private OtpErlangTuple syncMessage() {
		Map<OtpErlangObject, List<OtpErlangPid>> local = this.groups.allLocalPids();
		List<OtpErlangObject> entries = new ArrayList<>(local.size());
		local.forEach((group, pids) -> entries
			.add(tuple(group, new OtpErlangList(pids.toArray(new OtpErlangObject[0])))));
		return tuple(GenMessage.GEN_CAST,
				tuple(SYNC, this.self, new OtpErlangList(entries.toArray(new OtpErlangObject[0]))));
	}

	private boolean handleCast(OtpErlangObject request) {
		if (!(request instanceof OtpErlangTuple sync) || sync.arity() != 3 || !SYNC.equals(sync.elementAt(0))
				|| !(sync.elementAt(1) instanceof OtpErlangPid peer)) {
			return false;
		}
		List<OtpErlangObject> entries = list(sync.elementAt(2));
		if (entries == null) {
			return false;
		}
		List<Map.Entry<OtpErlangObject, List<OtpErlangPid>>> groups = new ArrayList<>(entries.size());
		for (OtpErlangObject entry : entries) {
			List<OtpErlangPid> pids = (entry instanceof OtpErlangTuple pair && pair.arity() == 2)
					? pids(pair.elementAt(1)) : null;
			if (pids == null) {
				return false;
			}
			groups.add(new AbstractMap.SimpleImmutableEntry<>(PgGroups.canonical(((OtpErlangTuple) entry).elementAt(0)),
					pids));
		}
		this.groups.sync(peer, groups, this.mailbox::monitor);
		return true;
	}

	private boolean handleJoin(OtpErlangTuple join) {
		List<OtpErlangPid> pids = pidOrPids(join.elementAt(3));
		if (!(join.elementAt(1) instanceof OtpErlangPid peer) || pids == null) {
			return false;
		}
		this.groups.joinRemote(peer, PgGroups.canonical(join.elementAt(2)), pids);
		return true;
	}

	private boolean handleLeave(OtpErlangTuple leave) {
		List<OtpErlangPid> pids = pidOrPids(leave.elementAt(2));
		List<OtpErlangObject> groups = list(leave.elementAt(3));
		if (!(leave.elementAt(1) instanceof OtpErlangPid peer) || pids == null || groups == null) {
			return false;
		}
		this.groups.leaveRemote(peer, pids, groups.stream().map(PgGroups::canonical).toList());
		return true;
	}

	private boolean down(OtpErlangRef ref, OtpErlangPid pid, OtpErlangObject reason) {
		if (pid.node().equals(this.node.name())) {
			List<OtpErlangObject> left = this.groups.localDown(ref, pid);
			if (left != null) {
				this.outbox.leave(List.of(pid), left);
			}
		}
		else if (this.groups.peerDown(ref, pid)) {
			logger.debug("pg scope {} dropped the members of peer scope {} ({})", this.name, pid, reason);
			if (!NOCONNECTION.equals(reason)) {
				rediscoverLater(pid.node());
			}
		}
		return true;
	}

	/**
	 * A peer scope exited while its node stays connected, e.g. restarted by its supervisor. A
	 * restarted Erlang scope discovers only visible nodes, never a hidden one such as this, so we
	 * discover it again, a few times while it may still be starting.
	 */
	private void rediscoverLater(String peerNode) {
		for (long delay : REDISCOVER_DELAYS_MS) {
			CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
				synchronized (this.lock) {
					if (this.running && this.groups.peers().stream().noneMatch((peer) -> peer.node().equals(peerNode))) {
						discover(peerNode);
					}
				}
			});
		}
	}

	/** Under the lock: a {@link #FLUSH} on its way will send the outbox, unless one is already. */
	private void scheduleFlush() {
		if (!this.flushScheduled) {
			this.flushScheduled = true;
			this.mailbox.send(this.self, FLUSH);
		}
	}

	/** Under the lock: the outbox's messages and the peers to send them to, taken together. */
	private Flush drainOutbox() {
		this.flushScheduled = false;
		return this.outbox.isEmpty() ? Flush.NOTHING : new Flush(this.outbox.drain(this.self), this.groups.peers());
	}

	/** Messages for the peers known when they were taken from the outbox. */
	private record Flush(List<OtpErlangTuple> messages, List<OtpErlangPid> peers) {

		static final Flush NOTHING = new Flush(List.of(), List.of());

	}

	/**
	 * Sends a flush to the peers whose node is connected ({@code [noconnect]}); only the scope
	 * process does, so each peer gets the messages in order.
	 */
	private void send(Flush flush) {
		if (flush.messages().isEmpty()) {
			return;
		}
		Set<String> connected = this.node.connectedNodes();
		for (OtpErlangPid peer : flush.peers()) {
			if (!connected.contains(peer.node())) {
				continue;
			}
			try {
				for (OtpErlangTuple message : flush.messages()) {
					this.mailbox.send(peer, message);
				}
			}
			catch (RuntimeException ex) {
				logger.warn("pg scope {} on {} could not send its changes to {}", this.name, this.node.name(), peer, ex);
			}
		}
	}

	/** pg sends with {@code [noconnect]}: a peer whose node is gone gets nothing. */
	private void sendNoConnect(String peerNode, Runnable send) {
		// a send never throws for a node that went down meanwhile: it is dropped, as pg's is
		if (this.node.connectedNodes().contains(peerNode)) {
			send.run();
		}
	}

	private void checkRunning() {
		if (!this.running) {
			throw new IllegalStateException("pg scope " + this.name + " on " + this.node.name() + " is stopped");
		}
	}

	private List<OtpErlangPid> local(OtpErlangPid... pids) {
		if (pids == null || pids.length == 0) {
			throw new IllegalArgumentException("no process given");
		}
		for (OtpErlangPid pid : pids) {
			if (pid == null || !pid.node().equals(this.node.name())) {
				throw new IllegalArgumentException("{nolocal, " + pid + "}: only processes of " + this.node.name()
						+ " can join or leave its pg scope " + this.name);
			}
		}
		return List.of(pids);
	}

	/** A pid or a proper list of pids, as pg's PidOrPids; {@code null} otherwise. */
	private static List<OtpErlangPid> pidOrPids(OtpErlangObject term) {
		return (term instanceof OtpErlangPid pid) ? List.of(pid) : pids(term);
	}

	private static List<OtpErlangPid> pids(OtpErlangObject term) {
		List<OtpErlangObject> elements = list(term);
		if (elements == null) {
			return null;
		}
		List<OtpErlangPid> pids = new ArrayList<>(elements.size());
		for (OtpErlangObject element : elements) {
			if (!(element instanceof OtpErlangPid pid)) {
				return null;
			}
			pids.add(pid);
		}
		return pids;
	}

	/** A proper list's elements; Erlang sends lists of small integers as strings. */
	private static List<OtpErlangObject> list(OtpErlangObject term) {
		if (term instanceof OtpErlangList list && list.getLastTail() == null) {
			return List.of(list.elements());
		}
		if (term instanceof OtpErlangString string) {
			List<OtpErlangObject> codes = new ArrayList<>();
			string.stringValue().codePoints().forEach((code) -> codes.add(new OtpErlangLong(code)));
			return codes;
		}
		return null;
	}

	private static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

	@Override
	public String toString() {
		return "PgScope[" + this.name + " " + this.self + (this.running ? "" : ", stopped") + "]";
	}

}
