package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.dist.Control;
import io.github.erlangspring.node.dist.DistConnection;

/**
 * Turns control messages from peers into deliveries and signals on this node's processes.
 * Runs on each connection's reader thread, so nothing here blocks: work that may block (RPC,
 * handlers) is handed to executors by the processes themselves. A control message of the wrong
 * shape throws, and the connection closes as a protocol violation.
 */
final class Dispatcher implements DistConnection.Listener {

	private final ProcessTable table;

	private final Signals signals;

	private final Connections connections;

	private final RpcServer rpcServer;

	Dispatcher(ProcessTable table, Signals signals, Connections connections, RpcServer rpcServer) {
		this.table = table;
		this.signals = signals;
		this.connections = connections;
		this.rpcServer = rpcServer;
	}

	@Override
	public void received(DistConnection connection, OtpErlangTuple control, OtpErlangObject payload) {
		int op = (int) ((OtpErlangLong) control.elementAt(0)).longValue();
		switch (op) {
			case Control.SEND, Control.SEND_TT, Control.SEND_SENDER, Control.SEND_SENDER_TT ->
				deliver(pid(control, 2), required(payload));
			case Control.REG_SEND, Control.REG_SEND_TT -> {
				LocalProcess target = this.table.named(((OtpErlangAtom) control.elementAt(3)).atomValue());
				if (target != null) {
					target.deliver(required(payload));
				}
			}
			case Control.ALIAS_SEND, Control.ALIAS_SEND_TT -> {
				pid(control, 1);
				var target = this.table.alias((OtpErlangRef) control.elementAt(2));
				if (target != null) {
					target.accept(required(payload));
				}
			}
			case Control.LINK -> this.signals.link(sender(connection, control, 1), pid(control, 2));
			case Control.UNLINK -> unlink(sender(connection, control, 1), pid(control, 2));
			case Control.UNLINK_ID -> {
				OtpErlangPid from = sender(connection, control, 2);
				OtpErlangPid to = pid(control, 3);
				unlink(from, to);
				connection.send(Control.unlinkIdAck(control.elementAt(1), to, from), null);
			}
			case Control.UNLINK_ID_ACK, Control.GROUP_LEADER -> {
			}
			case Control.EXIT -> this.signals.exit(sender(connection, control, 1), pid(control, 2), control.elementAt(3));
			case Control.EXIT_TT -> this.signals.exit(sender(connection, control, 1), pid(control, 2),
					control.elementAt(4));
			case Control.PAYLOAD_EXIT, Control.PAYLOAD_EXIT_TT ->
				this.signals.exit(sender(connection, control, 1), pid(control, 2), required(payload));
			case Control.EXIT2 -> this.signals.exit2(sender(connection, control, 1), pid(control, 2),
					control.elementAt(3));
			case Control.EXIT2_TT -> this.signals.exit2(sender(connection, control, 1), pid(control, 2),
					control.elementAt(4));
			case Control.PAYLOAD_EXIT2, Control.PAYLOAD_EXIT2_TT ->
				this.signals.exit2(sender(connection, control, 1), pid(control, 2), required(payload));
			case Control.MONITOR_P -> monitor(sender(connection, control, 1), control.elementAt(2),
					(OtpErlangRef) control.elementAt(3));
			case Control.DEMONITOR_P -> this.signals.demonitor(sender(connection, control, 1), control.elementAt(2),
					this.table.nodeName(), (OtpErlangRef) control.elementAt(3));
			case Control.MONITOR_P_EXIT -> this.table.monitorFired((OtpErlangRef) control.elementAt(3),
					connection.peer().name(), control.elementAt(4));
			case Control.PAYLOAD_MONITOR_P_EXIT -> this.table.monitorFired((OtpErlangRef) control.elementAt(3),
					connection.peer().name(), required(payload));
			case Control.SPAWN_REQUEST, Control.SPAWN_REQUEST_TT -> this.rpcServer.spawnRequest(connection,
					(OtpErlangRef) control.elementAt(1), pid(control, 2), pid(control, 3),
					(OtpErlangTuple) control.elementAt(4), (OtpErlangList) control.elementAt(5), required(payload));
			case Control.SPAWN_REPLY, Control.SPAWN_REPLY_TT -> {
				ProcessTable.SpawnReplyHandler handler = this.table.spawnReplied((OtpErlangRef) control.elementAt(1),
						connection.peer().name());
				if (handler != null) {
					handler.replied(control.elementAt(4));
				}
			}
			default -> {
				// Operations this node does not know are ignored, as newer peers may send them.
			}
		}
	}

	private void deliver(OtpErlangPid to, OtpErlangObject message) {
		LocalProcess target = this.table.get(to);
		if (target != null) {
			target.deliver(message);
		}
	}

	private void unlink(OtpErlangPid from, OtpErlangPid to) {
		LocalProcess target = this.table.get(to);
		if (target != null) {
			target.removeLink(from);
		}
	}

	private void monitor(OtpErlangPid from, OtpErlangObject target, OtpErlangRef ref) {
		LocalProcess process = (target instanceof OtpErlangPid pid) ? this.table.get(pid)
				: this.table.named(((OtpErlangAtom) target).atomValue());
		if (process == null) {
			this.signals.monitorExit(target, from, ref, Terms.NOPROC);
		}
		else {
			process.addWatcher(ref, new LocalProcess.Watcher(from, target));
		}
	}

	/**
	 * The sending process of a link, exit or monitor signal, which must be on the node the
	 * connection comes from: {@code dist.c} rejects other senders as an invalid distribution
	 * message, and so does this node (the connection closes as a protocol violation).
	 */
	private static OtpErlangPid sender(DistConnection connection, OtpErlangTuple control, int index) {
		OtpErlangPid from = pid(control, index);
		if (!from.node().equals(connection.peer().name())) {
			throw new IllegalArgumentException("signal from a process of another node");
		}
		return from;
	}

	private static OtpErlangPid pid(OtpErlangTuple control, int index) {
		return (OtpErlangPid) control.elementAt(index);
	}

	private static OtpErlangObject required(OtpErlangObject payload) {
		if (payload == null) {
			throw new IllegalArgumentException("missing message payload");
		}
		return payload;
	}

	@Override
	public void closed(DistConnection connection, DisconnectReason reason) {
		if (this.connections.unregister(connection, reason)) {
			this.table.nodeDown(connection.peer().name());
		}
	}

}
