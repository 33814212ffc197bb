package io.github.erlangspring.annotation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.dist.BoundedTerms;

/**
 * OTP's {@code sys} protocol for an {@link ErlangProcess}, as {@code sys:handle_system_msg/6}
 * answers it in a {@code gen_server}: {@code {system, From, Request}} arrives as a
 * {@code gen:call(Name, system, Request)}, and the reply is what {@code sys} expects.
 * <ul>
 * <li>{@code get_state}: a map {@code #{name => Name, class => <<"com.example.Bean">>,
 * state => <<"bean.toString()">>, handled => Messages, suspended => Bool}}: a Java bean has no
 * Erlang state, so its {@code toString()} stands for it.</li>
 * <li>{@code replace_state}: {@code {error, {not_supported, replace_state}}}, so
 * {@code sys:replace_state} raises it: an Erlang fun cannot change a Java bean.</li>
 * <li>{@code get_status}: {@code {status, Pid, {module, 'com.example.Bean'}, [[], running |
 * suspended, Pid, [], Misc]}} with {@code Misc} as {@code gen_server} formats it (a header, the
 * status, the state above).</li>
 * <li>{@code suspend} / {@code resume}: a suspended process answers only {@code sys} messages and
 * keeps every other message, in order, until resumed.</li>
 * <li>{@code {debug, {statistics, true | false | get}}}, {@code {debug, no_debug}}: statistics
 * count the messages handled; other debug requests answer {@code unknown_debug}.</li>
 * <li>{@code {terminate, Reason}}: answers {@code ok} and the process exits with {@code Reason}.</li>
 * <li>anything else: {@code {error, {unknown_system_msg, Request}}}.</li>
 * </ul>
 */
final class SysProtocol {

	private static final Logger logger = LoggerFactory.getLogger(SysProtocol.class);

	private static final OtpErlangAtom SYSTEM = new OtpErlangAtom("system");

	private static final OtpErlangAtom OK = new OtpErlangAtom("ok");

	private static final OtpErlangAtom ERROR = new OtpErlangAtom("error");

	private SysProtocol() {
	}

	/** @return whether {@code message} is {@code {system, {Pid, Tag}, Request}} */
	static boolean isSystemMessage(OtpErlangObject message) {
		return message instanceof OtpErlangTuple tuple && tuple.arity() == 3 && SYSTEM.equals(tuple.elementAt(0))
				&& tuple.elementAt(1) instanceof OtpErlangTuple from && from.arity() == 2;
	}

	/**
	 * Answers one system message.
	 * @return the messages held while suspended, to handle now (after a {@code resume})
	 */
	static List<OtpErlangObject> handle(ProcessEndpoint endpoint, Mailbox box, ProcessEndpoint.SystemState state,
			OtpErlangTuple message) {
		OtpErlangObject from = message.elementAt(1);
		OtpErlangObject request = message.elementAt(2);
		List<OtpErlangObject> resumed = List.of();
		OtpErlangObject reply;
		OtpErlangObject exit = null;
		if (isAtom(request, "get_state")) {
			reply = state(endpoint, state);
		}
		else if (isAtom(request, "get_status")) {
			reply = status(endpoint, box, state);
		}
		else if (isAtom(request, "suspend")) {
			state.suspended = true;
			reply = OK;
		}
		else if (isAtom(request, "resume")) {
			state.suspended = false;
			resumed = new ArrayList<>(state.deferred);
			state.deferred.clear();
			reply = OK;
		}
		else if (tagged(request, "replace_state", 2)) {
			reply = tuple(ERROR, tuple(new OtpErlangAtom("not_supported"), new OtpErlangAtom("replace_state")));
		}
		else if (tagged(request, "debug", 2)) {
			reply = debug(endpoint, state, ((OtpErlangTuple) request).elementAt(1));
		}
		else if (tagged(request, "terminate", 2)) {
			exit = ((OtpErlangTuple) request).elementAt(1);
			reply = OK;
		}
		else {
			reply = tuple(ERROR, tuple(new OtpErlangAtom("unknown_system_msg"), request));
		}
		box.reply(from, reply);
		if (exit != null) {
			logger.info("Erlang process {} terminated by sys:terminate: {}", endpoint.name(),
					BoundedTerms.describe(exit));
			box.close(exit);
		}
		return resumed;
	}

	private static OtpErlangObject debug(ProcessEndpoint endpoint, ProcessEndpoint.SystemState state,
			OtpErlangObject what) {
		if (isAtom(what, "no_debug")) {
			state.statistics = false;
			return OK;
		}
		if (tagged(what, "statistics", 2)) {
			OtpErlangObject flag = ((OtpErlangTuple) what).elementAt(1);
			if (isAtom(flag, "true")) {
				state.statistics = true;
				state.statisticsSince = System.currentTimeMillis();
				state.handledAtStatisticsStart = endpoint.handledMessages();
				return OK;
			}
			if (isAtom(flag, "false")) {
				state.statistics = false;
				return OK;
			}
			if (isAtom(flag, "get")) {
				if (!state.statistics) {
					return tuple(OK, new OtpErlangAtom("no_statistics"));
				}
				return tuple(OK, new OtpErlangList(new OtpErlangObject[] {
						tuple(new OtpErlangAtom("start_time"), localTime(state.statisticsSince)),
						tuple(new OtpErlangAtom("current_time"), localTime(System.currentTimeMillis())),
						tuple(new OtpErlangAtom("reductions"), new OtpErlangLong(0)),
						tuple(new OtpErlangAtom("messages_in"),
								new OtpErlangLong(endpoint.handledMessages() - state.handledAtStatisticsStart)),
						tuple(new OtpErlangAtom("messages_out"), new OtpErlangLong(0)) }));
			}
		}
		return new OtpErlangAtom("unknown_debug");
	}

	/** What {@code sys:get_state} returns for a Java bean. */
	static OtpErlangObject state(ProcessEndpoint endpoint, ProcessEndpoint.SystemState state) {
		Object bean = endpoint.bean();
		String text;
		try {
			text = String.valueOf(bean);
		}
		catch (RuntimeException ex) {
			text = endpoint.beanType().getName() + " (toString failed: " + ex + ")";
		}
		return new OtpErlangMap(
				new OtpErlangObject[] { new OtpErlangAtom("name"), new OtpErlangAtom("class"),
						new OtpErlangAtom("state"), new OtpErlangAtom("handled"), new OtpErlangAtom("suspended") },
				new OtpErlangObject[] { new OtpErlangAtom(endpoint.name()), binary(endpoint.beanType().getName()),
						binary(text), new OtpErlangLong(endpoint.handledMessages()),
						new OtpErlangAtom(state.suspended) });
	}

	private static OtpErlangObject status(ProcessEndpoint endpoint, Mailbox box, ProcessEndpoint.SystemState state) {
		OtpErlangAtom sysState = new OtpErlangAtom(state.suspended ? "suspended" : "running");
		OtpErlangObject misc = new OtpErlangList(new OtpErlangObject[] {
				tuple(new OtpErlangAtom("header"), new OtpErlangString("Status for Java process " + endpoint.name())),
				tuple(new OtpErlangAtom("data"),
						new OtpErlangList(new OtpErlangObject[] {
								tuple(new OtpErlangString("Status"), sysState),
								tuple(new OtpErlangString("Parent"), box.self()),
								tuple(new OtpErlangString("Logged events"), new OtpErlangList()),
								tuple(new OtpErlangString("Concurrency"), new OtpErlangLong(endpoint.concurrency())),
								tuple(new OtpErlangString("Queued"), new OtpErlangLong(box.queueSize())) })),
				tuple(new OtpErlangAtom("data"),
						new OtpErlangList(tuple(new OtpErlangString("State"), state(endpoint, state)))) });
		return tuple(new OtpErlangAtom("status"), box.self(),
				tuple(new OtpErlangAtom("module"), new OtpErlangAtom(endpoint.beanType().getName())),
				new OtpErlangList(new OtpErlangObject[] { new OtpErlangList(), sysState, box.self(),
						new OtpErlangList(), misc }));
	}

	private static OtpErlangObject localTime(long millis) {
		LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault());
		return tuple(
				tuple(new OtpErlangLong(t.getYear()), new OtpErlangLong(t.getMonthValue()),
						new OtpErlangLong(t.getDayOfMonth())),
				tuple(new OtpErlangLong(t.getHour()), new OtpErlangLong(t.getMinute()),
						new OtpErlangLong(t.getSecond())));
	}

	private static boolean isAtom(OtpErlangObject term, String name) {
		return term instanceof OtpErlangAtom atom && atom.atomValue().equals(name);
	}

	private static boolean tagged(OtpErlangObject term, String tag, int arity) {
		return term instanceof OtpErlangTuple tuple && tuple.arity() == arity && isAtom(tuple.elementAt(0), tag);
	}

	private static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

	private static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
	}

}
