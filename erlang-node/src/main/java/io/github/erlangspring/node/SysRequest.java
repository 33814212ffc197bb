package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * The request of a {@code {system, From, Request}} message, as {@code sys:handle_system_msg}
 * reads it. {@link GenServerProcess} answers each as {@code gen_server} does.
 */
public sealed interface SysRequest {

	/**
	 * @param request the {@code Request} element
	 * @return the request; {@link Other} when {@code sys} does not know it either
	 */
	static SysRequest decode(OtpErlangObject request) {
		if (request instanceof OtpErlangAtom atom) {
			switch (atom.atomValue()) {
				case "get_state":
					return new GetState();
				case "get_status":
					return new GetStatus();
				case "suspend":
					return new Suspend();
				case "resume":
					return new Resume();
				default:
					return new Other(request);
			}
		}
		if (request instanceof OtpErlangTuple tuple && tuple.arity() == 2
				&& tuple.elementAt(0) instanceof OtpErlangAtom tag) {
			switch (tag.atomValue()) {
				case "replace_state":
					return new ReplaceState(tuple.elementAt(1));
				case "debug":
					return new Debug(tuple.elementAt(1));
				case "terminate":
					return new Terminate(tuple.elementAt(1));
				default:
					return new Other(request);
			}
		}
		if (request instanceof OtpErlangTuple tuple && tuple.arity() == 4
				&& Terms.isAtom(tuple.elementAt(0), "change_code")) {
			return new ChangeCode(tuple.elementAt(1), tuple.elementAt(2), tuple.elementAt(3));
		}
		return new Other(request);
	}

	/** {@code sys:get_state/1}: {@code get_state}. */
	record GetState() implements SysRequest {
	}

	/**
	 * {@code sys:replace_state/2}: {@code {replace_state, StateFun}}.
	 * @param function the Erlang fun (which Java cannot run)
	 */
	record ReplaceState(OtpErlangObject function) implements SysRequest {
	}

	/** {@code sys:get_status/1}: {@code get_status}. */
	record GetStatus() implements SysRequest {
	}

	/** {@code sys:suspend/1}: {@code suspend}. */
	record Suspend() implements SysRequest {
	}

	/** {@code sys:resume/1}: {@code resume}. */
	record Resume() implements SysRequest {
	}

	/**
	 * {@code sys:statistics/2}, {@code sys:no_debug/1}, {@code sys:trace/2}, ...:
	 * {@code {debug, What}}.
	 * @param what {@code {statistics, true | false | get}}, {@code no_debug}, ...
	 */
	record Debug(OtpErlangObject what) implements SysRequest {
	}

	/**
	 * {@code sys:terminate/2}: {@code {terminate, Reason}}.
	 * @param reason the exit reason
	 */
	record Terminate(OtpErlangObject reason) implements SysRequest {
	}

	/**
	 * {@code sys:change_code/4}: {@code {change_code, Module, OldVsn, Extra}}, which {@code sys}
	 * accepts only while the process is suspended.
	 * @param module the module whose code changed
	 * @param oldVsn the old version, or {@code {down, Vsn}}
	 * @param extra what the release handler passes on
	 */
	record ChangeCode(OtpErlangObject module, OtpErlangObject oldVsn, OtpErlangObject extra) implements SysRequest {
	}

	/**
	 * Anything else: answered {@code {error, {unknown_system_msg, Request}}}.
	 * @param request the request as received
	 */
	record Other(OtpErlangObject request) implements SysRequest {
	}

}
