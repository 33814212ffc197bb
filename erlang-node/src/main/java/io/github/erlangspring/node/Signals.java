package io.github.erlangspring.node;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;

import io.github.erlangspring.node.dist.Control;
import io.github.erlangspring.node.dist.DistConnection;
import io.github.erlangspring.node.dist.DistFlags;

/**
 * Routes messages and signals: to a process of this node directly, to a remote one over its
 * connection. None waits for a connection (see {@link Connections#send}): messages, links and
 * monitors connect on first use, in the background, as Erlang's send does since OTP 21, and wait
 * on the pending connection in the order they were sent; replies, exit, unlink and demonitor
 * signals to a node neither connected nor being connected are dropped, since that node already
 * saw us go down (or never asked).
 */
final class Signals {

	private final ProcessTable table;

	private final Connections connections;

	private final AtomicLong unlinkIds = new AtomicLong();

	Signals(ProcessTable table, Connections connections) {
		this.table = table;
		this.connections = connections;
	}

	ProcessTable table() {
		return this.table;
	}

	private boolean isLocal(String node) {
		return node.equals(this.table.nodeName());
	}

	void send(OtpErlangPid from, OtpErlangPid to, OtpErlangObject message) {
		if (isLocal(to.node())) {
			LocalProcess target = this.table.get(to);
			if (target != null) {
				target.deliver(message);
			}
			return;
		}
		this.connections.send(to.node(), Control.send(to), message, true, null);
	}

	void send(OtpErlangPid from, String name, String node, OtpErlangObject message) {
		if (isLocal(node)) {
			LocalProcess target = this.table.named(name);
			if (target != null) {
				target.deliver(message);
			}
			return;
		}
		this.connections.send(node, Control.regSend(from, name), message, true, null);
	}

	/**
	 * Sends an answer to a process that asked something: only over a connection that exists. A
	 * process of a node we are not connected to is not waiting for it (its request came over a
	 * connection, now gone), so nothing connects for it: a forged sender pid on a node that does
	 * not answer must not stall the replying thread, or make this node connect where a peer says.
	 */
	void reply(OtpErlangPid from, OtpErlangPid to, OtpErlangObject message) {
		if (isLocal(to.node())) {
			send(from, to, message);
			return;
		}
		this.connections.send(to.node(), Control.send(to), message, false, null);
	}

	void sendAlias(OtpErlangPid from, OtpErlangRef alias, OtpErlangObject message) {
		if (isLocal(alias.node())) {
			Consumer<OtpErlangObject> target = this.table.alias(alias);
			if (target != null) {
				target.accept(message);
			}
			return;
		}
		this.connections.send(alias.node(), Control.aliasSend(from, alias), message, false, null);
	}

	void link(OtpErlangPid from, OtpErlangPid to) {
		if (isLocal(to.node())) {
			LocalProcess target = this.table.get(to);
			if (target != null) {
				target.addLink(from);
			}
			else {
				exit(to, from, Terms.NOPROC);
			}
			return;
		}
		// Connecting (if needed) does not hold up the caller: the link is sent once connected.
		this.connections.send(to.node(), Control.link(from, to), null, true,
				(failure) -> exit(to, from, Terms.NOCONNECTION));
	}

	void unlink(OtpErlangPid from, OtpErlangPid to) {
		if (isLocal(to.node())) {
			LocalProcess target = this.table.get(to);
			if (target != null) {
				target.removeLink(from);
			}
			return;
		}
		DistConnection connection = this.connections.existing(to.node());
		if (connection != null && connection.isOpen()) {
			connection.send(connection.peerHas(DistFlags.UNLINK_ID)
					? Control.unlinkId(this.unlinkIds.incrementAndGet(), from, to) : Control.unlink(from, to), null);
		}
		else {
			// the peer's flags are not known before the handshake: the old unlink, which every node understands
			this.connections.send(to.node(), Control.unlink(from, to), null, false, null);
		}
	}

	/** A linked process ({@code from}) exited. */
	void exit(OtpErlangPid from, OtpErlangPid to, OtpErlangObject reason) {
		if (isLocal(to.node())) {
			LocalProcess target = this.table.get(to);
			if (target != null) {
				target.linkExit(from, reason);
			}
			return;
		}
		this.connections.send(to.node(), Control.exit(from, to, reason), null, false, null);
	}

	/** {@code exit(To, Reason)} called by {@code from}. */
	void exit2(OtpErlangPid from, OtpErlangPid to, OtpErlangObject reason) {
		if (isLocal(to.node())) {
			LocalProcess target = this.table.get(to);
			if (target != null) {
				target.exitSignal(from, reason, false);
			}
			return;
		}
		this.connections.send(to.node(), Control.exit2(from, to, reason), null, false, null);
	}

	/**
	 * Starts monitoring; the caller has registered the {@link ProcessTable.HeldMonitor} already.
	 * @param target a pid, or a registered name as an atom
	 */
	void monitor(OtpErlangPid from, OtpErlangObject target, String node, OtpErlangRef ref) {
		if (isLocal(node)) {
			LocalProcess process = (target instanceof OtpErlangPid pid) ? this.table.get(pid)
					: this.table.named(((OtpErlangAtom) target).atomValue());
			if (process == null) {
				this.table.monitorFired(ref, node, Terms.NOPROC);
			}
			else {
				process.addWatcher(ref, new LocalProcess.Watcher(from, target));
			}
			return;
		}
		// Connecting (if needed) does not hold up the caller: the monitor is sent once connected.
		this.connections.send(node, Control.monitor(from, target, ref), null, true,
				(failure) -> this.table.monitorFired(ref, node, Terms.NOCONNECTION));
	}

	void demonitor(OtpErlangPid from, OtpErlangObject target, String node, OtpErlangRef ref) {
		if (isLocal(node)) {
			LocalProcess process = (target instanceof OtpErlangPid pid) ? this.table.get(pid)
					: this.table.named(((OtpErlangAtom) target).atomValue());
			if (process != null) {
				process.removeWatcher(ref);
			}
			return;
		}
		this.connections.send(node, Control.demonitor(from, target, ref), null, false, null);
	}

	/** A process we host, monitored by {@code watcher}, exited. */
	void monitorExit(OtpErlangObject monitoredAs, OtpErlangPid watcher, OtpErlangRef ref, OtpErlangObject reason) {
		if (isLocal(watcher.node())) {
			this.table.monitorFired(ref, this.table.nodeName(), reason);
			return;
		}
		this.connections.send(watcher.node(), Control.monitorExit(monitoredAs, watcher, ref, reason), null, false, null);
	}

}
