package io.github.erlangspring.node;

import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * A {@code gen_server} written in Java: the callbacks of the behaviour that
 * {@link GenServerProcess} runs on the node's scheduler. The state is the object itself.
 * <pre>{@code
 * Mailbox counter = node.spawn(new GenServerProcess(new GenServer() {
 *     long count;
 *     public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) {
 *         return GenResult.reply(new OtpErlangLong(++count));
 *     }
 * }), SpawnOptions.DEFAULT.withName("counter"));
 * // from Erlang: gen_server:call({counter, 'java@host'}, next), sys:get_status({counter, 'java@host'})
 * }</pre>
 * Callbacks run one at a time, in the order the messages arrived, on the node's scheduler; an
 * exception thrown by a callback crashes the process as it crashes a {@code gen_server} (it exits
 * with {@code {'java.lang.SomeException', <<"message">>}}, which a caller waiting in
 * {@code gen_server:call} sees). {@code sys} requests never reach the callbacks: the process
 * answers them, using {@link #systemState()}, {@link #module()} and {@link #statusData()}.
 */
public interface GenServer {

	/**
	 * {@code handle_call/3}.
	 * @param self the process
	 * @param request the request
	 * @param from the caller: with {@link GenResult#noReply()} answer it later through
	 * {@code self.reply(from.term(), Reply)}
	 * @return {@link GenResult#reply}, {@link GenResult#noReply()} or {@link GenResult#stop}
	 * @throws Exception to crash the process
	 */
	GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) throws Exception;

	/**
	 * {@code handle_cast/2}. By default the cast is dropped.
	 * @param self the process
	 * @param request the request
	 * @return {@link GenResult#noReply()} or {@link GenResult#stop}
	 * @throws Exception to crash the process
	 */
	default GenResult.Async handleCast(Mailbox self, OtpErlangObject request) throws Exception {
		return GenResult.noReply();
	}

	/**
	 * {@code handle_info/2}: any message that is not a call, a cast or a {@code sys} request. By
	 * default it is dropped.
	 * @param self the process
	 * @param message the message
	 * @return {@link GenResult#noReply()} or {@link GenResult#stop}
	 * @throws Exception to crash the process
	 */
	default GenResult.Async handleInfo(Mailbox self, OtpErlangObject message) throws Exception {
		return GenResult.noReply();
	}

	/**
	 * {@code terminate/2}: the process exited (stopped, crashed, {@code sys:terminate}, or killed
	 * by an exit signal), after its links and monitors were told. Called once.
	 * @param self the process
	 * @param reason the exit reason
	 */
	default void terminate(Mailbox self, OtpErlangObject reason) {
	}

	/**
	 * What {@code sys:get_state/1} returns, and the {@code "State"} of {@code sys:get_status/1}
	 * ({@code system_get_state/1}). Called on the process, between callbacks.
	 * @return the state as a term; {@code undefined} by default
	 */
	default OtpErlangObject systemState() {
		return new OtpErlangAtom("undefined");
	}

	/** @return the module {@code sys:get_status/1} names in {@code {module, Mod}}: {@code gen_server} by default, as for any gen_server */
	default String module() {
		return "gen_server";
	}

	/** @return more {@code {Key, Value}} entries for the first {@code data} section of {@code sys:get_status/1} */
	default List<OtpErlangTuple> statusData() {
		return List.of();
	}

}
