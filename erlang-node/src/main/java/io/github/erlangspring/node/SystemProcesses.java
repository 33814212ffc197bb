package io.github.erlangspring.node;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered processes every Erlang node has and peers rely on: {@code net_kernel} (answers
 * {@code net_adm:ping}), {@code rex} ({@code rpc:block_call} and the {@code rpc} feature probe),
 * and a group leader that takes the output of calls we make ({@code io:format} on a remote
 * node lands in our log).
 */
final class SystemProcesses {

	private SystemProcesses() {
	}

	/** {@code net_kernel}: answers {@code {is_auth, Node}} with {@code yes}. */
	static final class NetKernel extends LocalProcess {

		NetKernel(OtpErlangPid pid, Signals signals) {
			super(pid, signals);
		}

		@Override
		void deliver(OtpErlangObject message) {
			if (GenMessage.decode(message) instanceof GenMessage.Call call
					&& Terms.tagged(call.request(), "is_auth", 2) != null) {
				GenReply.reply(this.signals, this.pid, call.from(), Terms.atom("yes"));
			}
		}

	}

	/** {@code rex}: the {@code rpc} server of old, still used by {@code rpc:block_call}. */
	static final class Rex extends LocalProcess {

		private static final Logger logger = LoggerFactory.getLogger(Rex.class);

		private final RpcServer server;

		Rex(OtpErlangPid pid, Signals signals, RpcServer server) {
			super(pid, signals);
			this.server = server;
		}

		@Override
		void deliver(OtpErlangObject message) {
			GenMessage decoded = GenMessage.decode(message);
			if (decoded instanceof GenMessage.Call call) {
				OtpErlangTuple request = (call.request() instanceof OtpErlangTuple t && t.arity() == 5
						&& (Terms.isAtom(t.elementAt(0), "call") || Terms.isAtom(t.elementAt(0), "block_call"))) ? t
								: null;
				if (request != null) {
					GenMessage.From from = call.from();
					run(() -> {
						RpcCall rpc = RpcServer.toCall(request.elementAt(1), request.elementAt(2), request.elementAt(3),
								from.pid());
						OtpErlangObject result = (rpc != null) ? Outcome.invoke(this.server.functions(), rpc).rexResult()
								: Terms.tuple(Terms.atom("badrpc"), Terms.atom("badarg"));
						GenReply.reply(this.signals, this.pid, from, result);
					}, () -> GenReply.reply(this.signals, this.pid, from,
							Terms.tuple(Terms.atom("badrpc"), Terms.atom("system_limit"))));
				}
				return;
			}
			OtpErlangTuple request = (decoded instanceof GenMessage.Cast cast) ? Terms.tagged(cast.request(), "cast", 5)
					: null;
			if (request != null) {
				run(() -> {
					RpcCall rpc = RpcServer.toCall(request.elementAt(1), request.elementAt(2), request.elementAt(3),
							this.pid);
					if (rpc != null) {
						Outcome.invoke(this.server.functions(), rpc);
					}
				});
				return;
			}
			if (message instanceof OtpErlangTuple tuple && tuple.arity() == 2
					&& tuple.elementAt(0) instanceof OtpErlangPid from
					&& Terms.isAtom(tuple.elementAt(1), "features_request")) {
				OtpErlangObject reply = Terms.tuple(Terms.atom("features_reply"), Terms.atom(this.pid.node()),
						Terms.list(Terms.atom("erpc")));
				this.signals.reply(this.pid, from, reply);
			}
		}

		private void run(Runnable work) {
			run(work, () -> {
			});
		}

		private void run(Runnable work, Runnable refused) {
			Executor executor = this.server.executor();
			if (!this.server.tryEnter()) {
				logger.warn("rex request rejected: {} calls into Java run already", RpcServer.MAX_CALLS);
				refused.run();
				return;
			}
			try {
				executor.execute(() -> {
					try {
						work.run();
					}
					finally {
						this.server.exit();
					}
				});
			}
			catch (RejectedExecutionException ex) {
				this.server.exit();
				logger.warn("rex request rejected: {}", ex.toString());
				refused.run();
			}
		}

	}

	/**
	 * Group leader of the calls we make into Erlang: output requests are logged, input requests
	 * are refused, so remote code doing I/O neither blocks nor crashes.
	 */
	static final class GroupLeader extends LocalProcess {

		private static final Logger output = LoggerFactory.getLogger("io.github.erlangspring.erlang.io");

		GroupLeader(OtpErlangPid pid, Signals signals) {
			super(pid, signals);
		}

		@Override
		void deliver(OtpErlangObject message) {
			if (!(message instanceof OtpErlangTuple tuple) || tuple.arity() != 4
					|| !Terms.isAtom(tuple.elementAt(0), "io_request")
					|| !(tuple.elementAt(1) instanceof OtpErlangPid from)) {
				return;
			}
			OtpErlangObject reply = handle(tuple.elementAt(3));
			this.signals.reply(this.pid, from, Terms.tuple(Terms.atom("io_reply"), tuple.elementAt(2), reply));
		}

		private OtpErlangObject handle(OtpErlangObject request) {
			if (request instanceof OtpErlangTuple t && t.arity() >= 2 && Terms.isAtom(t.elementAt(0), "put_chars")) {
				OtpErlangObject chars = t.elementAt(t.arity() - 1);
				if (t.arity() <= 3) {
					String text = text(chars);
					if (text != null) {
						output.info("[{}] {}", this.pid.node(), text.stripTrailing());
					}
				}
				return Terms.OK;
			}
			if (request instanceof OtpErlangTuple t && t.arity() == 2 && Terms.isAtom(t.elementAt(0), "requests")
					&& t.elementAt(1) instanceof OtpErlangList requests) {
				OtpErlangObject last = Terms.OK;
				for (OtpErlangObject each : requests) {
					last = handle(each);
				}
				return last;
			}
			return Terms.tuple(Terms.atom("error"), Terms.atom("enotsup"));
		}

		private static String text(OtpErlangObject chars) {
			if (chars instanceof OtpErlangBinary binary) {
				return new String(binary.binaryValue(), StandardCharsets.UTF_8);
			}
			if (chars instanceof OtpErlangString string) {
				return string.stringValue();
			}
			if (chars instanceof OtpErlangList list) {
				try {
					return list.stringValue();
				}
				catch (Exception ex) {
					return list.toString();
				}
			}
			return null;
		}

	}

}
