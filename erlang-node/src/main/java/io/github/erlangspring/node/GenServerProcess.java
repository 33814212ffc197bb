package io.github.erlangspring.node;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.node.dist.BoundedTerms;

/**
 * The {@code gen_server} behaviour for a {@link GenServer}: the {@link ProcessHandler} to
 * {@link ErlangNode#spawn(ProcessHandler, SpawnOptions) spawn}. It decodes each message once
 * ({@link GenMessage#decode}), hands calls, casts and other messages to the callbacks, applies
 * their {@link GenResult}, and answers OTP's {@code sys} protocol itself, as
 * {@code sys:handle_system_msg/6} does in a {@code gen_server}:
 * <ul>
 * <li>{@code get_state}: {@link GenServer#systemState()}.</li>
 * <li>{@code get_status}: {@code {status, Pid, {module, Mod}, [PDict, running | suspended,
 * Parent, Debug, Misc]}} with {@code Misc} as {@code gen_server:format_status/2} makes it:
 * {@code [{header, "Status for generic server Name"}, {data, [{"Status", SysState},
 * {"Parent", Parent}, {"Logged events", []} | statusData()]}, {data, [{"State", State}]}]}. The
 * process dictionary and the debug options are empty; a Java process is its own parent.</li>
 * <li>{@code suspend} / {@code resume}: a suspended process answers only {@code sys} requests
 * and keeps every other message, in order, until resumed.</li>
 * <li>{@code {debug, {statistics, true | false | get}}} and {@code {debug, no_debug}}: the
 * statistics count messages handled ({@code messages_in}) and replies sent
 * ({@code messages_out}); other debug requests answer {@code unknown_debug}.</li>
 * <li>{@code {replace_state, Fun}}: {@code {error, {not_supported, replace_state}}}, which
 * {@code sys:replace_state} raises: an Erlang fun cannot run on a Java state.</li>
 * <li>{@code {terminate, Reason}}: answers {@code ok} and exits with {@code Reason}.</li>
 * <li>{@code {change_code, Module, OldVsn, Extra}}: {@code ok} while suspended, as a
 * {@code gen_server} whose {@code code_change/3} keeps its state (a Java state has nothing to
 * migrate); {@code {error, {unknown_system_msg, Request}}} while running, as {@code sys}
 * answers.</li>
 * <li>anything else: {@code {error, {unknown_system_msg, Request}}}.</li>
 * </ul>
 * One instance runs one process.
 */
public final class GenServerProcess implements ProcessHandler {

	private static final Logger logger = LoggerFactory.getLogger(GenServerProcess.class);

	private static final OtpErlangAtom OK = new OtpErlangAtom("ok");

	private static final OtpErlangAtom ERROR = new OtpErlangAtom("error");

	private final GenServer server;

	private final ArrayDeque<GenMessage> deferred = new ArrayDeque<>();

	private volatile boolean suspended;

	private volatile long messagesIn;

	private volatile long messagesOut;

	private Statistics statistics;

	/** @param server the callbacks */
	public GenServerProcess(GenServer server) {
		this.server = server;
	}

	/** @return whether {@code sys:suspend} holds the process's messages */
	public boolean isSuspended() {
		return this.suspended;
	}

	/** @return calls, casts and other messages handed to the callbacks so far */
	public long handledMessages() {
		return this.messagesIn;
	}

	@Override
	public void handle(Mailbox self, OtpErlangObject message) throws Exception {
		GenMessage decoded = GenMessage.decode(message);
		if (decoded instanceof GenMessage.Sys sys) {
			system(self, sys);
		}
		else if (this.suspended) {
			this.deferred.add(decoded);
		}
		else {
			dispatch(self, decoded);
		}
	}

	@Override
	public void exited(Mailbox self, OtpErlangObject reason) {
		this.server.terminate(self, reason);
	}

	private void dispatch(Mailbox self, GenMessage message) throws Exception {
		this.messagesIn++;
		if (message instanceof GenMessage.Call call) {
			apply(self, this.server.handleCall(self, call.request(), call.from()), call.from());
		}
		else if (message instanceof GenMessage.Cast cast) {
			apply(self, this.server.handleCast(self, cast.request()), null);
		}
		else {
			apply(self, this.server.handleInfo(self, ((GenMessage.Info) message).message()), null);
		}
	}

	private void apply(Mailbox self, GenResult result, GenMessage.From from) {
		if (result instanceof GenResult.Reply reply) {
			if (from == null) {
				throw new IllegalStateException("a reply without a call: " + reply);
			}
			reply(self, from, reply.reply());
		}
		else if (result instanceof GenResult.Stop stop) {
			if (from != null && stop.reply() != null) {
				reply(self, from, stop.reply());
			}
			self.close(stop.reason());
		}
		else if (result == null) {
			throw new IllegalStateException("a callback returned null instead of a GenResult");
		}
	}

	private void reply(Mailbox self, GenMessage.From from, OtpErlangObject reply) {
		self.reply(from.term(), reply);
		this.messagesOut++;
	}

	private void system(Mailbox self, GenMessage.Sys sys) throws Exception {
		SysRequest request = sys.request();
		OtpErlangObject reply;
		List<GenMessage> resumed = List.of();
		OtpErlangObject exit = null;
		if (request instanceof SysRequest.GetState) {
			reply = this.server.systemState();
		}
		else if (request instanceof SysRequest.GetStatus) {
			reply = status(self);
		}
		else if (request instanceof SysRequest.Suspend) {
			this.suspended = true;
			reply = OK;
		}
		else if (request instanceof SysRequest.Resume) {
			this.suspended = false;
			resumed = new ArrayList<>(this.deferred);
			this.deferred.clear();
			reply = OK;
		}
		else if (request instanceof SysRequest.ReplaceState) {
			reply = Terms.tuple(ERROR, Terms.tuple(Terms.atom("not_supported"), Terms.atom("replace_state")));
		}
		else if (request instanceof SysRequest.Debug debug) {
			reply = debug(debug.what());
		}
		else if (request instanceof SysRequest.Terminate terminate) {
			exit = terminate.reason();
			reply = OK;
		}
		else if (request instanceof SysRequest.ChangeCode change) {
			reply = this.suspended ? OK : unknown(Terms.tuple(Terms.atom("change_code"), change.module(),
					change.oldVsn(), change.extra()));
		}
		else {
			reply = unknown(((SysRequest.Other) request).request());
		}
		self.reply(sys.from().term(), reply);
		if (exit != null) {
			logger.info("Process {} terminated by sys:terminate: {}", describe(self), BoundedTerms.describe(exit));
			self.close(exit);
			return;
		}
		for (GenMessage each : resumed) {
			// a message of the backlog may stop the process: the rest is dropped, as a dead
			// process's queue is
			if (!self.isAlive()) {
				return;
			}
			dispatch(self, each);
		}
	}

	private static OtpErlangObject unknown(OtpErlangObject request) {
		return Terms.tuple(ERROR, Terms.tuple(Terms.atom("unknown_system_msg"), request));
	}

	private OtpErlangObject debug(OtpErlangObject what) {
		if (Terms.isAtom(what, "no_debug")) {
			this.statistics = null;
			return OK;
		}
		OtpErlangTuple statistics = Terms.tagged(what, "statistics", 2);
		if (statistics != null) {
			OtpErlangObject flag = statistics.elementAt(1);
			if (Terms.isAtom(flag, "true")) {
				this.statistics = new Statistics(System.currentTimeMillis(), this.messagesIn, this.messagesOut);
				return OK;
			}
			if (Terms.isAtom(flag, "false")) {
				this.statistics = null;
				return OK;
			}
			if (Terms.isAtom(flag, "get")) {
				Statistics since = this.statistics;
				if (since == null) {
					return Terms.tuple(OK, Terms.atom("no_statistics"));
				}
				return Terms.tuple(OK, Terms.list(
						Terms.tuple(Terms.atom("start_time"), localTime(since.startedAt)),
						Terms.tuple(Terms.atom("current_time"), localTime(System.currentTimeMillis())),
						Terms.tuple(Terms.atom("reductions"), new OtpErlangLong(0)),
						Terms.tuple(Terms.atom("messages_in"), new OtpErlangLong(this.messagesIn - since.messagesIn)),
						Terms.tuple(Terms.atom("messages_out"), new OtpErlangLong(this.messagesOut - since.messagesOut))));
			}
		}
		return Terms.atom("unknown_debug");
	}

	private OtpErlangObject status(Mailbox self) {
		OtpErlangAtom sysState = Terms.atom(this.suspended ? "suspended" : "running");
		List<OtpErlangObject> data = new ArrayList<>();
		data.add(Terms.tuple(new OtpErlangString("Status"), sysState));
		data.add(Terms.tuple(new OtpErlangString("Parent"), self.self()));
		data.add(Terms.tuple(new OtpErlangString("Logged events"), new OtpErlangList()));
		data.addAll(this.server.statusData());
		OtpErlangObject misc = Terms.list(
				Terms.tuple(Terms.atom("header"), new OtpErlangString("Status for generic server " + describe(self))),
				Terms.tuple(Terms.atom("data"), new OtpErlangList(data.toArray(new OtpErlangObject[0]))),
				Terms.tuple(Terms.atom("data"),
						Terms.list(Terms.tuple(new OtpErlangString("State"), this.server.systemState()))));
		return Terms.tuple(Terms.atom("status"), self.self(), Terms.tuple(Terms.atom("module"), Terms.atom(this.server.module())),
				Terms.list(new OtpErlangList(), sysState, self.self(), new OtpErlangList(), misc));
	}

	private static String describe(Mailbox self) {
		return self.name().orElseGet(() -> self.self().toString());
	}

	private static OtpErlangObject localTime(long millis) {
		LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault());
		return Terms.tuple(
				Terms.tuple(new OtpErlangLong(t.getYear()), new OtpErlangLong(t.getMonthValue()),
						new OtpErlangLong(t.getDayOfMonth())),
				Terms.tuple(new OtpErlangLong(t.getHour()), new OtpErlangLong(t.getMinute()),
						new OtpErlangLong(t.getSecond())));
	}

	/** Where {@code sys:statistics(Name, true)} started counting. */
	private record Statistics(long startedAt, long messagesIn, long messagesOut) {
	}

}
