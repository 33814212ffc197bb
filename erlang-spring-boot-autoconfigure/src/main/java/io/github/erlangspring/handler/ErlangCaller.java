package io.github.erlangspring.handler;

import com.ericsson.otp.erlang.OtpErlangPid;

/**
 * The caller of a {@code gen_server:call} handled by a
 * {@link io.github.erlangspring.annotation.HandleCall} method. Declare a parameter of this type to
 * see who called, or to reply later: a {@code void} method with this parameter does not reply on
 * return, so another thread can {@link #reply(Object)} when the work is done.
 */
public interface ErlangCaller {

	/** @return the calling process */
	OtpErlangPid pid();

	/**
	 * Sends the reply (converted); later calls are ignored.
	 * @param reply the reply
	 */
	void reply(Object reply);

	/**
	 * Makes the call fail in the caller, which exits with {@code {Reason, {gen_server, call, ...}}}
	 * where Reason is {@code {'java.class.Name', <<"message">>}}; this process keeps serving.
	 * @param error the failure
	 */
	void fail(Throwable error);

}
