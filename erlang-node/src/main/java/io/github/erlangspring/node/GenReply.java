package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * Answers a {@code gen_server:call}, as {@code gen:reply/2} does: to the caller's alias when the
 * tag is {@code [alias | Ref]} (OTP 24+), else to its pid.
 */
final class GenReply {

	private GenReply() {
	}

	/**
	 * @param signals where to send
	 * @param self the replying process
	 * @param from the {@code From} of the {@code '$gen_call'}: {@code {Pid, Tag}}
	 * @param reply the reply
	 */
	static void reply(Signals signals, OtpErlangPid self, OtpErlangObject from, OtpErlangObject reply) {
		OtpErlangTuple caller = (OtpErlangTuple) from;
		OtpErlangPid pid = (OtpErlangPid) caller.elementAt(0);
		OtpErlangObject tag = caller.elementAt(1);
		OtpErlangTuple message = Terms.tuple(tag, reply);
		OtpErlangRef alias = alias(tag);
		if (alias != null) {
			signals.sendAlias(self, alias, message);
		}
		else {
			// only over an existing connection: see Signals.reply
			signals.reply(self, pid, message);
		}
	}

	/** @return the alias of an {@code [alias | Ref]} tag, else {@code null} */
	static OtpErlangRef alias(OtpErlangObject tag) {
		if (tag instanceof OtpErlangList list && list.arity() == 1 && list.elementAt(0) instanceof OtpErlangAtom atom
				&& atom.atomValue().equals("alias") && list.getLastTail() instanceof OtpErlangRef ref) {
			return ref;
		}
		return null;
	}

	/** @return {@code {From, Request}} when {@code message} is {@code {'$gen_call', From, Request}} */
	static OtpErlangTuple call(OtpErlangObject message) {
		if (message instanceof OtpErlangTuple tuple && tuple.arity() == 3 && Terms.GEN_CALL.equals(tuple.elementAt(0))
				&& tuple.elementAt(1) instanceof OtpErlangTuple from && from.arity() == 2
				&& from.elementAt(0) instanceof OtpErlangPid) {
			return tuple;
		}
		return null;
	}

}
