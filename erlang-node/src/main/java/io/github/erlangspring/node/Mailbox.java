package io.github.erlangspring.node;

import java.time.Duration;
import java.util.Optional;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;

/**
 * A process of this node that Java code drives: it has a pid (and optionally a registered
 * name), receives messages in order, and takes part in links and monitors with Erlang semantics.
 * <p>
 * Exit signals: a linked process that exits abnormally, or {@code exit(Pid, Reason)} from
 * Erlang, terminates the mailbox (receive then throws {@link ErlangExitException}), unless
 * {@link #trapExits(boolean) trapping exits}, in which case they arrive as
 * {@code {'EXIT', From, Reason}} messages. {@code kill} cannot be trapped. When the mailbox
 * terminates, linked processes receive an exit signal and monitors fire with the reason.
 */
public interface Mailbox extends AutoCloseable {

	/** @return this process's pid */
	OtpErlangPid self();

	/** @return the registered name, if any */
	Optional<String> name();

	/**
	 * Sends a message to a pid. Asynchronous, as Erlang's {@code !}: it never waits for a
	 * connection. To a node not connected yet, the message waits on the connection being set up
	 * (in the background) and leaves, in order, once it is; if it cannot be set up, the message is
	 * dropped, as Erlang drops it.
	 */
	void send(OtpErlangPid to, OtpErlangObject message);

	/**
	 * Sends a message to a registered name on a node ({@code {Name, Node} ! Message});
	 * asynchronous, as {@link #send(OtpErlangPid, OtpErlangObject)}.
	 */
	void send(String name, String node, OtpErlangObject message);

	/**
	 * Answers a {@code gen_server:call} received as {@code {'$gen_call', From, Request}}, as
	 * {@code gen_server:reply(From, Reply)} does.
	 * @param from the {@code From} element of the call message
	 * @param reply the reply
	 */
	void reply(OtpErlangObject from, OtpErlangObject reply);

	/**
	 * Makes the caller of a {@code gen_server:call} fail, while this process keeps running: the
	 * caller exits with {@code {Reason, {gen_server, call, ...}}}, as if this process had died
	 * with {@code reason} for that one call. (It fires the caller's monitor on this process, which
	 * {@code gen_server:call} always sets; a caller without one gets {@code {error, Reason}}.)
	 * @param from the {@code From} element of the call message
	 * @param reason the reason the caller sees
	 */
	void failCall(OtpErlangObject from, OtpErlangObject reason);

	/**
	 * Waits for the next message.
	 * @return the message
	 * @throws ErlangExitException when the mailbox was terminated by an exit signal
	 * @throws InterruptedException when interrupted while waiting
	 */
	OtpErlangObject receive() throws InterruptedException;

	/**
	 * Waits up to {@code timeout} for the next message.
	 * @return the message, or {@code null} when none arrived in time
	 * @throws ErlangExitException when the mailbox was terminated by an exit signal
	 * @throws InterruptedException when interrupted while waiting
	 */
	OtpErlangObject receive(Duration timeout) throws InterruptedException;

	/** @return messages waiting to be received */
	int queueSize();

	/**
	 * @return messages dropped since the mailbox was made because it was full
	 * ({@code erlang.limits.mailbox-capacity}); 0 for an unbounded mailbox
	 */
	long droppedMessages();

	/** Links to a process ({@code link/1}). A missing process sends us {@code noproc}. */
	void link(OtpErlangPid other);

	/** Removes a link ({@code unlink/1}). */
	void unlink(OtpErlangPid other);

	/**
	 * Monitors a process: when it exits (or does not exist, or its node disconnects) this mailbox
	 * receives {@code {'DOWN', Ref, process, Pid, Reason}}.
	 * @return the monitor reference
	 */
	OtpErlangRef monitor(OtpErlangPid process);

	/**
	 * Monitors a registered name on a node; the {@code 'DOWN'} message names {@code {Name, Node}}.
	 * @return the monitor reference
	 */
	OtpErlangRef monitor(String name, String node);

	/** Removes a monitor; no {@code 'DOWN'} message arrives for it afterwards. */
	void demonitor(OtpErlangRef ref);

	/** Sends an exit signal to a process ({@code exit/2}). */
	void exit(OtpErlangPid to, OtpErlangObject reason);

	/** Whether exit signals become messages ({@code process_flag(trap_exit, Bool)}). */
	void trapExits(boolean trap);

	/** @return whether the mailbox has not terminated */
	boolean isAlive();

	/** Terminates the mailbox with reason {@code normal}. */
	@Override
	void close();

	/** Terminates the mailbox with {@code reason}. */
	void close(OtpErlangObject reason);

}
