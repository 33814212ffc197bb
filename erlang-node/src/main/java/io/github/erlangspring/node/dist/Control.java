package io.github.erlangspring.node.dist;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * Control message operations of the distribution protocol and builders for the ones this node
 * sends. Shapes as in the ERTS "Distribution Protocol" chapter.
 */
public final class Control {

	public static final int LINK = 1;

	public static final int SEND = 2;

	public static final int EXIT = 3;

	public static final int UNLINK = 4;

	public static final int REG_SEND = 6;

	public static final int GROUP_LEADER = 7;

	public static final int EXIT2 = 8;

	public static final int SEND_TT = 12;

	public static final int EXIT_TT = 13;

	public static final int REG_SEND_TT = 16;

	public static final int EXIT2_TT = 18;

	public static final int MONITOR_P = 19;

	public static final int DEMONITOR_P = 20;

	public static final int MONITOR_P_EXIT = 21;

	public static final int SEND_SENDER = 22;

	public static final int SEND_SENDER_TT = 23;

	public static final int PAYLOAD_EXIT = 24;

	public static final int PAYLOAD_EXIT_TT = 25;

	public static final int PAYLOAD_EXIT2 = 26;

	public static final int PAYLOAD_EXIT2_TT = 27;

	public static final int PAYLOAD_MONITOR_P_EXIT = 28;

	public static final int SPAWN_REQUEST = 29;

	public static final int SPAWN_REQUEST_TT = 30;

	public static final int SPAWN_REPLY = 31;

	public static final int SPAWN_REPLY_TT = 32;

	public static final int ALIAS_SEND = 33;

	public static final int ALIAS_SEND_TT = 34;

	public static final int UNLINK_ID = 35;

	public static final int UNLINK_ID_ACK = 36;

	/** Spawn reply flag: a link was set up. */
	public static final int SPAWN_FLAG_LINK = 1;

	/** Spawn reply flag: a monitor was set up. */
	public static final int SPAWN_FLAG_MONITOR = 2;

	private static final OtpErlangAtom EMPTY = new OtpErlangAtom("");

	private Control() {
	}

	public static OtpErlangTuple send(OtpErlangPid to) {
		return tuple(SEND, EMPTY, to);
	}

	public static OtpErlangTuple regSend(OtpErlangPid from, String name) {
		return tuple(REG_SEND, from, EMPTY, new OtpErlangAtom(name));
	}

	public static OtpErlangTuple aliasSend(OtpErlangPid from, OtpErlangRef alias) {
		return tuple(ALIAS_SEND, from, alias);
	}

	public static OtpErlangTuple link(OtpErlangPid from, OtpErlangPid to) {
		return tuple(LINK, from, to);
	}

	public static OtpErlangTuple unlink(OtpErlangPid from, OtpErlangPid to) {
		return tuple(UNLINK, from, to);
	}

	public static OtpErlangTuple unlinkId(long id, OtpErlangPid from, OtpErlangPid to) {
		return tuple(UNLINK_ID, new OtpErlangLong(id), from, to);
	}

	public static OtpErlangTuple unlinkIdAck(OtpErlangObject id, OtpErlangPid from, OtpErlangPid to) {
		return tuple(UNLINK_ID_ACK, id, from, to);
	}

	public static OtpErlangTuple exit(OtpErlangPid from, OtpErlangPid to, OtpErlangObject reason) {
		return tuple(EXIT, from, to, reason);
	}

	public static OtpErlangTuple exit2(OtpErlangPid from, OtpErlangPid to, OtpErlangObject reason) {
		return tuple(EXIT2, from, to, reason);
	}

	/**
	 * @param from the monitoring process
	 * @param to the monitored process: a pid, or a registered name as an atom
	 * @param ref the monitor reference
	 */
	public static OtpErlangTuple monitor(OtpErlangPid from, OtpErlangObject to, OtpErlangRef ref) {
		return tuple(MONITOR_P, from, to, ref);
	}

	public static OtpErlangTuple demonitor(OtpErlangPid from, OtpErlangObject to, OtpErlangRef ref) {
		return tuple(DEMONITOR_P, from, to, ref);
	}

	/**
	 * @param from the monitored process: its pid, or the name it was monitored by
	 * @param to the monitoring process
	 */
	public static OtpErlangTuple monitorExit(OtpErlangObject from, OtpErlangPid to, OtpErlangRef ref,
			OtpErlangObject reason) {
		return tuple(MONITOR_P_EXIT, from, to, ref, reason);
	}

	public static OtpErlangTuple spawnRequest(OtpErlangRef reqId, OtpErlangPid from, OtpErlangPid groupLeader,
			String module, String function, int arity, OtpErlangList options) {
		OtpErlangTuple mfa = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom(module),
				new OtpErlangAtom(function), new OtpErlangLong(arity) });
		return spawnRequest(reqId, from, groupLeader, mfa, options);
	}

	/** @param mfa {@code {Module, Function, Arity}} */
	public static OtpErlangTuple spawnRequest(OtpErlangRef reqId, OtpErlangPid from, OtpErlangPid groupLeader,
			OtpErlangTuple mfa, OtpErlangList options) {
		return tuple(SPAWN_REQUEST, reqId, from, groupLeader, mfa, options);
	}

	public static OtpErlangTuple spawnReply(OtpErlangRef reqId, OtpErlangPid to, int flags, OtpErlangObject result) {
		return tuple(SPAWN_REPLY, reqId, to, new OtpErlangLong(flags), result);
	}

	private static OtpErlangTuple tuple(int op, OtpErlangObject... elements) {
		OtpErlangObject[] all = new OtpErlangObject[elements.length + 1];
		all[0] = new OtpErlangLong(op);
		System.arraycopy(elements, 0, all, 1, elements.length);
		return new OtpErlangTuple(all);
	}

}
