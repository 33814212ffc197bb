package io.github.erlangspring.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;

/**
 * Everything addressable on this node: processes by pid and by registered name, aliases, the
 * monitors our processes hold, and our outstanding spawn requests. Also makes pids and refs.
 */
final class ProcessTable {

	/** A monitor held by one of our processes (or by a pending call) on some process. */
	record HeldMonitor(OtpErlangPid owner, String node, OtpErlangObject target, Consumer<OtpErlangObject> onDown) {
	}

	/** An outstanding spawn request of ours: what to do with the reply. */
	interface SpawnReplyHandler {

		String node();

		void replied(OtpErlangObject pidOrError);

	}

	private final String nodeName;

	private final int creation;

	private final Map<OtpErlangPid, LocalProcess> pids = new ConcurrentHashMap<>();

	private final Map<String, LocalProcess> names = new ConcurrentHashMap<>();

	private final Map<OtpErlangRef, Consumer<OtpErlangObject>> aliases = new ConcurrentHashMap<>();

	private final Map<OtpErlangRef, HeldMonitor> monitors = new ConcurrentHashMap<>();

	/**
	 * The refs of {@link #monitors} by owner, so that an exiting process drops its own monitors
	 * without looking at everyone's (a pg scope holds one per member: 100,000 exits each scanning
	 * 100,000 monitors took minutes). A set is only changed inside {@code compute} on its key.
	 */
	private final Map<OtpErlangPid, Set<OtpErlangRef>> monitorsByOwner = new ConcurrentHashMap<>();

	private final Map<OtpErlangRef, SpawnReplyHandler> spawnRequests = new ConcurrentHashMap<>();

	private final AtomicInteger pidCounter = new AtomicInteger();

	private final AtomicLong refCounter = new AtomicLong();

	/**
	 * Per thread: one shared {@code SecureRandom} would be a point of contention on every call. A
	 * DRBG seeded once from the system: the default {@code NativePRNG} reads {@code /dev/urandom}
	 * under a global lock for every reference.
	 */
	private static final ThreadLocal<RandomLongs> RANDOM = ThreadLocal.withInitial(RandomLongs::new);

	ProcessTable(String nodeName, int creation) {
		this.nodeName = nodeName;
		this.creation = creation;
	}

	String nodeName() {
		return this.nodeName;
	}

	OtpErlangPid newPid() {
		int n = this.pidCounter.incrementAndGet();
		return new OtpErlangPid(this.nodeName, n & 0x7FFF, (n >>> 15) & 0x1FFF, this.creation);
	}

	/**
	 * A new ref: 64 of its bits are random, so that a peer that saw some of our refs (call tags,
	 * aliases, monitor refs) cannot guess the next ones and forge replies or monitor signals.
	 */
	OtpErlangRef newRef() {
		long n = this.refCounter.incrementAndGet();
		long random = RANDOM.get().next();
		int[] ids = { (int) (n & 0x3FFFF), (int) (random >>> 32), (int) random };
		return new OtpErlangRef(this.nodeName, ids, this.creation);
	}

	void add(LocalProcess process) {
		this.pids.put(process.pid, process);
	}

	void remove(LocalProcess process) {
		this.pids.remove(process.pid, process);
		String name = process.registeredName();
		if (name != null) {
			this.names.remove(name, process);
		}
	}

	/**
	 * Registers a name, as {@code erlang:register/2}.
	 * @return whether the name was free
	 */
	boolean register(String name, LocalProcess process) {
		if (this.names.putIfAbsent(name, process) != null) {
			return false;
		}
		process.registeredName(name);
		return true;
	}

	LocalProcess get(OtpErlangPid pid) {
		return this.pids.get(pid);
	}

	LocalProcess named(String name) {
		return this.names.get(name);
	}

	Collection<LocalProcess> processes() {
		return this.pids.values();
	}

	Map<String, LocalProcess> registered() {
		return this.names;
	}

	void addAlias(OtpErlangRef alias, Consumer<OtpErlangObject> target) {
		this.aliases.put(alias, target);
	}

	void removeAlias(OtpErlangRef alias) {
		this.aliases.remove(alias);
	}

	Consumer<OtpErlangObject> alias(OtpErlangRef alias) {
		return this.aliases.get(alias);
	}

	void holdMonitor(OtpErlangRef ref, HeldMonitor monitor) {
		this.monitors.put(ref, monitor);
		this.monitorsByOwner.compute(monitor.owner(), (owner, refs) -> {
			Set<OtpErlangRef> owned = (refs != null) ? refs : new HashSet<>();
			owned.add(ref);
			return owned;
		});
	}

	HeldMonitor releaseMonitor(OtpErlangRef ref) {
		HeldMonitor monitor = this.monitors.remove(ref);
		if (monitor != null) {
			unindex(monitor.owner(), ref);
		}
		return monitor;
	}

	private void unindex(OtpErlangPid owner, OtpErlangRef ref) {
		this.monitorsByOwner.computeIfPresent(owner, (key, refs) -> {
			refs.remove(ref);
			return refs.isEmpty() ? null : refs;
		});
	}

	/**
	 * A monitor of ours fired: the monitored process is gone for {@code reason}. Only the node of
	 * the monitored process can say so, as {@code dist.c} has it: from another node, ignored.
	 */
	void monitorFired(OtpErlangRef ref, String fromNode, OtpErlangObject reason) {
		HeldMonitor monitor = this.monitors.get(ref);
		if (monitor != null && monitor.node().equals(fromNode) && this.monitors.remove(ref, monitor)) {
			unindex(monitor.owner(), ref);
			monitor.onDown().accept(reason);
		}
	}

	void dropMonitorsOwnedBy(OtpErlangPid owner, Signals signals) {
		Set<OtpErlangRef> refs = this.monitorsByOwner.remove(owner);
		if (refs == null) {
			return;
		}
		for (OtpErlangRef ref : refs) {
			HeldMonitor monitor = this.monitors.get(ref);
			if (monitor != null && this.monitors.remove(ref, monitor)) {
				signals.demonitor(owner, monitor.target(), monitor.node(), ref);
			}
		}
	}

	void expectSpawnReply(OtpErlangRef reqId, SpawnReplyHandler handler) {
		this.spawnRequests.put(reqId, handler);
	}

	/** @return the handler of our spawn request to {@code fromNode}, or {@code null} */
	SpawnReplyHandler spawnReplied(OtpErlangRef reqId, String fromNode) {
		SpawnReplyHandler handler = this.spawnRequests.get(reqId);
		return (handler != null && handler.node().equals(fromNode) && this.spawnRequests.remove(reqId, handler))
				? handler : null;
	}

	int heldMonitorCount() {
		return this.monitors.size();
	}

	/** @return how many processes hold monitors (the owners indexed) */
	int monitorOwnerCount() {
		return this.monitorsByOwner.size();
	}

	/** The connection to {@code node} is gone: links break, monitors fire, pending spawns fail. */
	void nodeDown(String node) {
		for (LocalProcess process : this.pids.values()) {
			process.nodeDown(node);
		}
		List<HeldMonitor> fired = new ArrayList<>();
		for (Map.Entry<OtpErlangRef, HeldMonitor> entry : this.monitors.entrySet()) {
			if (entry.getValue().node().equals(node) && this.monitors.remove(entry.getKey(), entry.getValue())) {
				unindex(entry.getValue().owner(), entry.getKey());
				fired.add(entry.getValue());
			}
		}
		for (Map.Entry<OtpErlangRef, SpawnReplyHandler> entry : this.spawnRequests.entrySet()) {
			if (entry.getValue().node().equals(node) && this.spawnRequests.remove(entry.getKey(), entry.getValue())) {
				entry.getValue().replied(Terms.NOCONNECTION);
			}
		}
		fired.forEach((monitor) -> monitor.onDown().accept(Terms.NOCONNECTION));
	}

	/**
	 * Random longs from a DRBG, drawn 64 at a time: each draw hashes the generator's state (SHA-256)
	 * besides the bytes it returns, which cost more than the rest of a call when it was drawn per
	 * ref. The values are the generator's output all the same.
	 */
	private static final class RandomLongs {

		private static final int BATCH = 64;

		private final java.security.SecureRandom random;

		private final byte[] bytes = new byte[BATCH * Long.BYTES];

		private final java.nio.LongBuffer longs = java.nio.ByteBuffer.wrap(this.bytes).asLongBuffer();

		RandomLongs() {
			java.security.SecureRandom drbg;
			try {
				drbg = java.security.SecureRandom.getInstance("DRBG");
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				drbg = new java.security.SecureRandom();
			}
			this.random = drbg;
			this.longs.position(BATCH);
		}

		long next() {
			if (!this.longs.hasRemaining()) {
				this.random.nextBytes(this.bytes);
				this.longs.clear();
			}
			return this.longs.get();
		}

	}

}
