package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangException;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * A message as a {@code gen_server} sees it: what {@code gen_server:call} ({@code gen:call}),
 * {@code gen_server:cast} and {@code sys} send, decoded once. {@link #decode} is the only place
 * the engine and the Spring layer take these messages apart.
 * <ul>
 * <li>{@link Call}: {@code {'$gen_call', {Pid, Tag}, Request}}, answered by {@code {Tag, Reply}}
 * (see {@link From}).</li>
 * <li>{@link Cast}: {@code {'$gen_cast', Request}}.</li>
 * <li>{@link Sys}: {@code {system, {Pid, Tag}, Request}}, what {@code sys:get_state/1} and the
 * other {@code sys} functions send through {@code gen:call(Name, system, Request)}.</li>
 * <li>{@link Info}: anything else.</li>
 * </ul>
 */
public sealed interface GenMessage permits GenMessage.Call, GenMessage.Cast, GenMessage.Sys, GenMessage.Info {

	/** {@code '$gen_call'} */
	OtpErlangAtom GEN_CALL = new OtpErlangAtom("$gen_call");

	/** {@code '$gen_cast'} */
	OtpErlangAtom GEN_CAST = new OtpErlangAtom("$gen_cast");

	/** {@code system} */
	OtpErlangAtom SYSTEM = new OtpErlangAtom("system");

	/**
	 * @param message a message as received
	 * @return what it is; never {@code null} ({@link Info} when it is none of the others)
	 */
	static GenMessage decode(OtpErlangObject message) {
		if (message instanceof OtpErlangTuple tuple && tuple.arity() >= 2
				&& tuple.elementAt(0) instanceof OtpErlangAtom tag) {
			if (tuple.arity() == 3 && GEN_CALL.equals(tag)) {
				From from = From.of(tuple.elementAt(1));
				if (from != null) {
					return new Call(from, tuple.elementAt(2));
				}
			}
			else if (tuple.arity() == 2 && GEN_CAST.equals(tag)) {
				return new Cast(tuple.elementAt(1));
			}
			else if (tuple.arity() == 3 && SYSTEM.equals(tag)) {
				From from = From.of(tuple.elementAt(1));
				if (from != null) {
					return new Sys(from, SysRequest.decode(tuple.elementAt(2)));
				}
			}
		}
		return new Info(message);
	}

	/**
	 * {@code gen_server:call(Server, Request)}: answer it once, through
	 * {@link Mailbox#reply(OtpErlangObject, OtpErlangObject) reply(from.term(), Reply)}.
	 * @param from the caller
	 * @param request the request
	 */
	record Call(From from, OtpErlangObject request) implements GenMessage {
	}

	/**
	 * {@code gen_server:cast(Server, Request)}.
	 * @param request the request
	 */
	record Cast(OtpErlangObject request) implements GenMessage {
	}

	/**
	 * A {@code sys} request, answered as a call.
	 * @param from the caller
	 * @param request the request, decoded
	 */
	record Sys(From from, SysRequest request) implements GenMessage {
	}

	/**
	 * Any other message.
	 * @param message the message as received
	 */
	record Info(OtpErlangObject message) implements GenMessage {
	}

	/**
	 * The {@code From} of a call: {@code {Pid, Tag}}. The reply is {@code {Tag, Reply}}, sent to
	 * the caller's alias when the tag is {@code [alias | Ref]} (OTP 24+), else to {@code Pid}, as
	 * {@code gen:reply/2} does.
	 * @param pid the caller
	 * @param tag the tag (a reference, or {@code [alias | Ref]})
	 */
	record From(OtpErlangPid pid, OtpErlangObject tag) {

		private static final OtpErlangAtom ALIAS = new OtpErlangAtom("alias");

		/** @return the {@code From} of {@code {Pid, Tag}}, else {@code null} */
		public static From of(OtpErlangObject term) {
			if (term instanceof OtpErlangTuple tuple && tuple.arity() == 2
					&& tuple.elementAt(0) instanceof OtpErlangPid pid) {
				return new From(pid, tuple.elementAt(1));
			}
			return null;
		}

		/** @return {@code {Pid, Tag}} */
		public OtpErlangTuple term() {
			return new OtpErlangTuple(new OtpErlangObject[] { this.pid, this.tag });
		}

		/** @return the alias to reply to, or {@code null} when the reply goes to the pid */
		public OtpErlangRef alias() {
			return aliasOf(this.tag);
		}

		/** @return the reference that identifies the call: the alias, or a plain reference tag; else {@code null} */
		public OtpErlangRef ref() {
			OtpErlangRef alias = alias();
			return (alias != null) ? alias : (this.tag instanceof OtpErlangRef plain) ? plain : null;
		}

		/** @return the alias of an {@code [alias | Ref]} tag, else {@code null} */
		public static OtpErlangRef aliasOf(OtpErlangObject tag) {
			if (tag instanceof OtpErlangList list && list.arity() == 1 && ALIAS.equals(list.elementAt(0))
					&& list.getLastTail() instanceof OtpErlangRef ref) {
				return ref;
			}
			return null;
		}

		/** @return {@code [alias | Ref]}: the tag of a call made through an alias */
		public static OtpErlangObject aliasTag(OtpErlangRef ref) {
			try {
				return new OtpErlangList(new OtpErlangObject[] { ALIAS }, ref);
			}
			catch (OtpErlangException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
