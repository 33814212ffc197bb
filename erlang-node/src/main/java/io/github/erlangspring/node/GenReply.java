package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * Answers a {@code gen_server:call}, as {@code gen:reply/2} does: {@code {Tag, Reply}} to the
 * caller's alias when the tag is {@code [alias | Ref]} (OTP 24+), else to its pid.
 */
final class GenReply {

	private GenReply() {
	}

	/**
	 * @param signals where to send
	 * @param self the replying process
	 * @param from the caller
	 * @param reply the reply
	 */
	static void reply(Signals signals, OtpErlangPid self, GenMessage.From from, OtpErlangObject reply) {
		OtpErlangTuple message = Terms.tuple(from.tag(), reply);
		OtpErlangRef alias = from.alias();
		if (alias != null) {
			signals.sendAlias(self, alias, message);
		}
		else {
			// only over an existing connection: see Signals.reply
			signals.reply(self, from.pid(), message);
		}
	}

	/**
	 * @param from the {@code From} element of a call message: {@code {Pid, Tag}}
	 * @return the caller
	 * @throws IllegalArgumentException when {@code from} is not {@code {Pid, Tag}}
	 */
	static GenMessage.From from(OtpErlangObject from) {
		GenMessage.From caller = GenMessage.From.of(from);
		if (caller == null) {
			throw new IllegalArgumentException("not the From of a call ({Pid, Tag}): " + from);
		}
		return caller;
	}

}
