package io.github.erlangspring.node;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mailbox: a queue of messages, optionally bounded (overflow is dropped and counted).
 */
class DefaultMailbox extends LocalProcess implements Mailbox {

	private static final Logger logger = LoggerFactory.getLogger(DefaultMailbox.class);

	private static final Object TERMINATED = new Object();

	/** Messages for {@link #receive()}; {@code null} in a scheduled process, whose handler takes them. */
	private final MessageQueue queue;

	private final int capacity;

	private final AtomicLong dropped = new AtomicLong();

	private volatile boolean trapExit;

	DefaultMailbox(OtpErlangPid pid, Signals signals, int capacity) {
		this(pid, signals, capacity, true);
	}

	DefaultMailbox(OtpErlangPid pid, Signals signals, int capacity, boolean receiving) {
		super(pid, signals);
		this.capacity = capacity;
		this.queue = receiving ? new MessageQueue() : null;
	}

	@Override
	void deliver(OtpErlangObject message) {
		if (isAlive() && admits(this.queue.size())) {
			this.queue.offer(message);
		}
	}

	/** @return whether one more message fits next to {@code queued} ones; counts and logs a drop if not */
	final boolean admits(int queued) {
		if (this.capacity > 0 && queued >= this.capacity) {
			if (this.dropped.getAndIncrement() == 0) {
				logger.warn("Mailbox {} is full ({} messages): dropping messages", describe(), this.capacity);
			}
			return false;
		}
		return true;
	}

	@Override
	public long droppedMessages() {
		return this.dropped.get();
	}

	@Override
	boolean trapsExits() {
		return this.trapExit;
	}

	@Override
	void terminated(OtpErlangObject reason) {
		this.queue.offer(TERMINATED);
	}

	@Override
	public OtpErlangPid self() {
		return this.pid;
	}

	@Override
	public Optional<String> name() {
		return Optional.ofNullable(registeredName());
	}

	@Override
	public void send(OtpErlangPid to, OtpErlangObject message) {
		this.signals.send(this.pid, to, message);
	}

	@Override
	public void send(String name, String node, OtpErlangObject message) {
		this.signals.send(this.pid, name, node, message);
	}

	@Override
	public void reply(OtpErlangObject from, OtpErlangObject reply) {
		GenReply.reply(this.signals, this.pid, GenReply.from(from), reply);
	}

	@Override
	public void failCall(OtpErlangObject from, OtpErlangObject reason) {
		OtpErlangRef ref = GenReply.from(from).ref();
		if (ref == null || !fireWatcher(ref, reason)) {
			reply(from, Terms.tuple(Terms.atom("error"), reason));
		}
	}

	@Override
	public OtpErlangObject receive() throws InterruptedException {
		return unwrap(this.queue.take());
	}

	@Override
	public OtpErlangObject receive(Duration timeout) throws InterruptedException {
		Object next = this.queue.poll(timeout.toNanos());
		return (next != null) ? unwrap(next) : null;
	}

	private OtpErlangObject unwrap(Object next) {
		if (next == TERMINATED) {
			this.queue.offer(TERMINATED);
			throw new ErlangExitException(exitReason());
		}
		return (OtpErlangObject) next;
	}

	@Override
	public int queueSize() {
		return this.queue.size();
	}

	@Override
	public void link(OtpErlangPid other) {
		addLink(other);
		this.signals.link(this.pid, other);
	}

	@Override
	public void unlink(OtpErlangPid other) {
		removeLink(other);
		this.signals.unlink(this.pid, other);
	}

	@Override
	public OtpErlangRef monitor(OtpErlangPid process) {
		return monitor(process, process.node(), process);
	}

	@Override
	public OtpErlangRef monitor(String name, String node) {
		return monitor(Terms.atom(name), node, Terms.tuple(Terms.atom(name), Terms.atom(node)));
	}

	private OtpErlangRef monitor(OtpErlangObject target, String node, OtpErlangObject reportedAs) {
		OtpErlangRef ref = this.signals.table().newRef();
		this.signals.table()
			.holdMonitor(ref, new ProcessTable.HeldMonitor(this.pid, node, target,
					(reason) -> deliver(new OtpErlangTuple(
							new OtpErlangObject[] { Terms.DOWN, ref, Terms.PROCESS, reportedAs, reason }))));
		this.signals.monitor(this.pid, target, node, ref);
		return ref;
	}

	@Override
	public void demonitor(OtpErlangRef ref) {
		ProcessTable.HeldMonitor monitor = this.signals.table().releaseMonitor(ref);
		if (monitor != null) {
			this.signals.demonitor(this.pid, monitor.target(), monitor.node(), ref);
		}
	}

	@Override
	public void exit(OtpErlangPid to, OtpErlangObject reason) {
		this.signals.exit2(this.pid, to, reason);
	}

	@Override
	public void trapExits(boolean trap) {
		this.trapExit = trap;
	}

	@Override
	public void close() {
		terminate(Terms.NORMAL);
	}

	@Override
	public void close(OtpErlangObject reason) {
		terminate(reason);
	}

	final String describe() {
		String name = registeredName();
		return (name != null) ? name + " " + this.pid : this.pid.toString();
	}

	@Override
	public String toString() {
		return "Mailbox[" + describe() + "]";
	}

}
