package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * What a {@link GenServer} callback returns, as {@code gen_server}'s callbacks return
 * {@code {reply, Reply, State}}, {@code {noreply, State}} or {@code {stop, Reason, ...}}. The
 * state is the Java object itself, so it does not travel in the result.
 * {@link GenServer#handleCall handleCall} returns any of them; {@code handleCast} and
 * {@code handleInfo} return an {@link Async} (there is no one to reply to).
 */
public sealed interface GenResult permits GenResult.Reply, GenResult.Async {

	/** @return {@code {reply, Reply, State}} */
	static Reply reply(OtpErlangObject reply) {
		return new Reply(reply);
	}

	/** @return {@code {noreply, State}} */
	static NoReply noReply() {
		return NoReply.INSTANCE;
	}

	/** @return {@code {stop, Reason, State}} */
	static Stop stop(OtpErlangObject reason) {
		return new Stop(reason, null);
	}

	/** @return {@code {stop, Reason, Reply, State}}: the caller gets {@code reply}, then the process exits */
	static Stop stop(OtpErlangObject reason, OtpErlangObject reply) {
		return new Stop(reason, reply);
	}

	/** What {@code handleCast} and {@code handleInfo} may return: no reply. */
	sealed interface Async extends GenResult permits NoReply, Stop {
	}

	/**
	 * Answer the caller now.
	 * @param reply the reply
	 */
	record Reply(OtpErlangObject reply) implements GenResult {

		public Reply {
			if (reply == null) {
				throw new IllegalArgumentException("a reply is a term, not null");
			}
		}

	}

	/**
	 * Go on without answering: a call is answered later (or never) through
	 * {@link Mailbox#reply(OtpErlangObject, OtpErlangObject)}, as {@code gen_server:reply/2}.
	 */
	final class NoReply implements Async {

		private static final NoReply INSTANCE = new NoReply();

		private NoReply() {
		}

		@Override
		public String toString() {
			return "noreply";
		}

	}

	/**
	 * Exit with {@code reason} (after answering the caller with {@code reply}, when given).
	 * @param reason the exit reason ({@code normal}, {@code shutdown}, or any term)
	 * @param reply the reply to the call being handled, or {@code null}
	 */
	record Stop(OtpErlangObject reason, OtpErlangObject reply) implements Async {

		public Stop {
			if (reason == null) {
				throw new IllegalArgumentException("a stop needs a reason");
			}
		}

	}

}
