package io.github.erlangspring.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
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
 * node lands in our log). Each is a {@link GenServer}, so it answers {@code sys} as the real ones
 * do, run {@link ScheduledProcess#inline inline}: its callbacks never block, so a request costs
 * no wake-up.
 */
final class SystemProcesses {

	private SystemProcesses() {
	}

	/**
	 * Starts a system process and adds it to the table.
	 * @param name its registered name, or {@code null}
	 * @return the process
	 */
	static ScheduledProcess start(ProcessTable table, Signals signals, ProcessScheduler scheduler, String name,
			GenServer server) {
		return start(table, signals, scheduler, name, new GenServerProcess(server));
	}

	/**
	 * Starts a registered system process that is started again, under the same name, when it
	 * exits while the node runs ({@code sys:terminate/2}, an exit signal), as a supervisor restarts
	 * a permanent child: peers keep finding {@code net_kernel} and {@code rex}. After
	 * {@link #MAX_RESTARTS} restarts within {@link #RESTART_PERIOD} it stays down, logged, as a
	 * supervisor past its intensity gives up. (An Erlang node's {@code kernel_sup}, {@code one_for_all}
	 * with intensity 0, would take the node down at the first exit.)
	 * @param running whether the node still runs
	 * @return the process
	 */
	static ScheduledProcess startPermanent(ProcessTable table, Signals signals, ProcessScheduler scheduler,
			String name, GenServer server, BooleanSupplier running) {
		Restarts restarts = new Restarts();
		return startPermanent(table, signals, scheduler, name, server, running, restarts);
	}

	private static ScheduledProcess startPermanent(ProcessTable table, Signals signals, ProcessScheduler scheduler,
			String name, GenServer server, BooleanSupplier running, Restarts restarts) {
		GenServerProcess loop = new GenServerProcess(server);
		return start(table, signals, scheduler, name, new ProcessHandler() {

			@Override
			public void handle(Mailbox self, OtpErlangObject message) throws Exception {
				loop.handle(self, message);
			}

			@Override
			public void exited(Mailbox self, OtpErlangObject reason) {
				loop.exited(self, reason);
				if (!running.getAsBoolean()) {
					return;
				}
				if (restarts.allowed(System.nanoTime())) {
					logger.warn("System process {} exited ({}): started again", name, reason);
					startPermanent(table, signals, scheduler, name, server, running, restarts);
				}
				else {
					logger.error("System process {} exited ({}) after {} restarts within {}: it stays down until the "
							+ "node restarts", name, reason, MAX_RESTARTS, RESTART_PERIOD);
				}
			}

		});
	}

	private static ScheduledProcess start(ProcessTable table, Signals signals, ProcessScheduler scheduler, String name,
			ProcessHandler handler) {
		ScheduledProcess process = ScheduledProcess.inline(table.newPid(), signals, handler, scheduler);
		table.add(process);
		if (name != null) {
			table.register(name, process);
		}
		return process;
	}

	static final int MAX_RESTARTS = 5;

	static final Duration RESTART_PERIOD = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(SystemProcesses.class);

	/** The restarts of one permanent process within the last {@link #RESTART_PERIOD}. */
	private static final class Restarts {

		private final ArrayDeque<Long> times = new ArrayDeque<>();

		synchronized boolean allowed(long now) {
			while (!this.times.isEmpty() && now - this.times.peekFirst() > RESTART_PERIOD.toNanos()) {
				this.times.pollFirst();
			}
			if (this.times.size() >= MAX_RESTARTS) {
				return false;
			}
			this.times.addLast(now);
			return true;
		}

	}

	/**
	 * {@code net_kernel}: answers {@code {is_auth, Node}} with {@code yes}, leaves other calls
	 * unanswered; its state for {@code sys} is {@code #{node => Node}}.
	 */
	static final class NetKernel implements GenServer {

		private final String node;

		NetKernel(String node) {
			this.node = node;
		}

		@Override
		public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) {
			return (Terms.tagged(request, "is_auth", 2) != null) ? GenResult.reply(Terms.atom("yes"))
					: GenResult.noReply();
		}

		@Override
		public OtpErlangObject systemState() {
			return map(Terms.atom("node"), Terms.atom(this.node));
		}

	}

	/**
	 * {@code rex}: the {@code rpc} server of old, still used by {@code rpc:block_call}. The
	 * function runs on the {@link RpcServer}'s executor, which replies.
	 */
	static final class Rex implements GenServer {

		private static final Logger logger = LoggerFactory.getLogger(Rex.class);

		private final Signals signals;

		private final RpcServer server;

		Rex(Signals signals, RpcServer server) {
			this.signals = signals;
			this.server = server;
		}

		@Override
		public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) {
			if (!(request instanceof OtpErlangTuple t && t.arity() == 5
					&& (Terms.isAtom(t.elementAt(0), "call") || Terms.isAtom(t.elementAt(0), "block_call")))) {
				return GenResult.noReply();
			}
			OtpErlangPid pid = self.self();
			boolean accepted = run(() -> {
				RpcCall rpc = RpcServer.toCall(t.elementAt(1), t.elementAt(2), t.elementAt(3), from.pid());
				OtpErlangObject result = (rpc != null) ? Outcome.invoke(this.server.functions(), rpc).rexResult()
						: Terms.tuple(Terms.atom("badrpc"), Terms.atom("badarg"));
				GenReply.reply(this.signals, pid, from, result);
			});
			return accepted ? GenResult.noReply()
					: GenResult.reply(Terms.tuple(Terms.atom("badrpc"), Terms.atom("system_limit")));
		}

		@Override
		public GenResult.Async handleCast(Mailbox self, OtpErlangObject request) {
			OtpErlangTuple cast = Terms.tagged(request, "cast", 5);
			if (cast != null) {
				OtpErlangPid pid = self.self();
				run(() -> {
					RpcCall rpc = RpcServer.toCall(cast.elementAt(1), cast.elementAt(2), cast.elementAt(3), pid);
					if (rpc != null) {
						Outcome.invoke(this.server.functions(), rpc);
					}
				});
			}
			return GenResult.noReply();
		}

		/** {@code {From, features_request}}, the probe of {@code rpc}'s nodes observer. */
		@Override
		public GenResult.Async handleInfo(Mailbox self, OtpErlangObject message) {
			if (message instanceof OtpErlangTuple tuple && tuple.arity() == 2
					&& tuple.elementAt(0) instanceof OtpErlangPid from
					&& Terms.isAtom(tuple.elementAt(1), "features_request")) {
				OtpErlangObject reply = Terms.tuple(Terms.atom("features_reply"), Terms.atom(self.self().node()),
						Terms.list(Terms.atom("erpc")));
				this.signals.reply(self.self(), from, reply);
			}
			return GenResult.noReply();
		}

		/** {@code #{running => Calls}}: the calls into Java running now, {@code erpc}'s included. */
		@Override
		public OtpErlangObject systemState() {
			return map(Terms.atom("running"), new OtpErlangLong(this.server.running()));
		}

		/** @return {@code false} when the call is refused: too many run, or the executor refuses it */
		private boolean run(Runnable work) {
			if (!this.server.tryEnter()) {
				logger.warn("rex request rejected: {} calls into Java run already", RpcServer.MAX_CALLS);
				return false;
			}
			try {
				this.server.executor().execute(() -> {
					try {
						work.run();
					}
					finally {
						this.server.exit();
					}
				});
				return true;
			}
			catch (RejectedExecutionException ex) {
				this.server.exit();
				logger.warn("rex request rejected: {}", ex.toString());
				return false;
			}
		}

	}

	/**
	 * Group leader of the calls we make into Erlang: output requests are logged, input requests
	 * are refused, so remote code doing I/O neither blocks nor crashes.
	 */
	static final class GroupLeader implements GenServer {

		private static final Logger output = LoggerFactory.getLogger("io.github.erlangspring.erlang.io");

		private final Signals signals;

		GroupLeader(Signals signals) {
			this.signals = signals;
		}

		/** {@code {io_request, From, ReplyAs, Request}}, answered {@code {io_reply, ReplyAs, Reply}}. */
		@Override
		public GenResult.Async handleInfo(Mailbox self, OtpErlangObject message) {
			if (message instanceof OtpErlangTuple tuple && tuple.arity() == 4
					&& Terms.isAtom(tuple.elementAt(0), "io_request")
					&& tuple.elementAt(1) instanceof OtpErlangPid from) {
				OtpErlangObject reply = handle(self.self().node(), tuple.elementAt(3));
				this.signals.reply(self.self(), from, Terms.tuple(Terms.atom("io_reply"), tuple.elementAt(2), reply));
			}
			return GenResult.noReply();
		}

		/** A group leader is no {@code gen_server}: a call is ignored. */
		@Override
		public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) {
			return GenResult.noReply();
		}

		private static OtpErlangObject handle(String node, OtpErlangObject request) {
			if (request instanceof OtpErlangTuple t && t.arity() == 2 && Terms.isAtom(t.elementAt(0), "requests")
					&& t.elementAt(1) instanceof OtpErlangList requests) {
				OtpErlangObject last = Terms.OK;
				for (OtpErlangObject each : requests) {
					last = basic(node, each);
				}
				return last;
			}
			return basic(node, request);
		}

		/** A request of the I/O protocol other than {@code requests}, which does not nest. */
		private static OtpErlangObject basic(String node, OtpErlangObject request) {
			if (request instanceof OtpErlangTuple t && t.arity() >= 2 && Terms.isAtom(t.elementAt(0), "put_chars")) {
				OtpErlangObject chars = t.elementAt(t.arity() - 1);
				if (t.arity() <= 3) {
					String text = text(chars);
					if (text != null) {
						output.info("[{}] {}", node, text.stripTrailing());
					}
				}
				return Terms.OK;
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

	private static OtpErlangMap map(OtpErlangObject key, OtpErlangObject value) {
		return new OtpErlangMap(new OtpErlangObject[] { key }, new OtpErlangObject[] { value });
	}

}
