package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * What a process {@link ErlangNode#spawn(ProcessHandler, SpawnOptions) spawned} from Java does
 * with its messages. The node's {@link ProcessScheduler} calls it when the process has messages:
 * one message at a time, in the order they arrived, never on two threads at once, and no thread
 * belongs to the process while it waits.
 * <p>
 * An exception thrown by {@link #handle} crashes the process as it would crash an Erlang one: it
 * exits with {@code {'java.lang.SomeException', <<"message">>}}, which its links and monitors see.
 */
@FunctionalInterface
public interface ProcessHandler {

	/**
	 * Handles one message.
	 * @param self the process (to reply, send, link, monitor, or {@link Mailbox#close(OtpErlangObject) exit})
	 * @param message the message
	 * @throws Exception to crash the process
	 */
	void handle(Mailbox self, OtpErlangObject message) throws Exception;

	/**
	 * The process exited (closed, crashed, or killed by an exit signal), after its links and
	 * monitors were told. Called once, on the scheduler, after the last message it handled.
	 * @param self the process
	 * @param reason the exit reason
	 */
	default void exited(Mailbox self, OtpErlangObject reason) {
	}

}
