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
 * connection. Messages connect on first use, as Erlang's send does; exit and monitor signals to
 * a node we are not connected to are dropped, since that node already saw us go down.
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
		this.connections.require(to.node()).send(Control.send(to), message);
	}

	void send(OtpErlangPid from, String name, String node, OtpErlangObject message) {
		if (isLocal(node)) {
			LocalProcess target = this.table.named(name);
			if (target != null) {
				target.deliver(message);
			}
			return;
		}
		this.connections.require(node).send(Control.regSend(from, name), message);
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
		DistConnection connection = this.connections.existing(to.node());
		if (connection != null) {
			connection.send(Control.send(to), message);
		}
	}

	void sendAlias(OtpErlangPid from, OtpErlangRef alias, OtpErlangObject message) {
		if (isLocal(alias.node())) {
			Consumer<OtpErlangObject> target = this.table.alias(alias);
			if (target != null) {
				target.accept(message);
			}
			return;
		}
		DistConnection connection = this.connections.existing(alias.node());
		if (connection != null) {
			connection.send(Control.aliasSend(from, alias), message);
		}
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
		this.connections.connect(to.node()).whenComplete((connection, failure) -> {
			if (connection == null || !connection.send(Control.link(from, to), null)) {
				exit(to, from, Terms.NOCONNECTION);
			}
		});
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
		if (connection != null) {
			connection.send(connection.peerHas(DistFlags.UNLINK_ID)
					? Control.unlinkId(this.unlinkIds.incrementAndGet(), from, to) : Control.unlink(from, to), null);
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
		DistConnection connection = this.connections.existing(to.node());
		if (connection != null) {
			connection.send(Control.exit(from, to, reason), null);
		}
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
		DistConnection connection = this.connections.existing(to.node());
		if (connection != null) {
			connection.send(Control.exit2(from, to, reason), null);
		}
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
		this.connections.connect(node).whenComplete((connection, failure) -> {
			if (connection == null || !connection.send(Control.monitor(from, target, ref), null)) {
				this.table.monitorFired(ref, node, Terms.NOCONNECTION);
			}
		});
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
		DistConnection connection = this.connections.existing(node);
		if (connection != null) {
			connection.send(Control.demonitor(from, target, ref), null);
		}
	}

	/** A process we host, monitored by {@code watcher}, exited. */
	void monitorExit(OtpErlangObject monitoredAs, OtpErlangPid watcher, OtpErlangRef ref, OtpErlangObject reason) {
		if (isLocal(watcher.node())) {
			this.table.monitorFired(ref, this.table.nodeName(), reason);
			return;
		}
		DistConnection connection = this.connections.existing(watcher.node());
		if (connection != null) {
			connection.send(Control.monitorExit(monitoredAs, watcher, ref, reason), null);
		}
	}

}
