package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.node.dist.DistConnection;

/**
 * A process that owns no thread: its messages wait in a queue and the node's
 * {@link ProcessScheduler} runs its {@link ProcessHandler} when it has some. {@code pending}
 * counts what is queued (messages and the exit); whoever takes it from 0 to 1 schedules the
 * process, and the activation that brings it back to 0 leaves, so the process is in the run
 * queue at most once: one message at a time, in order. After {@link ProcessScheduler#budget()}
 * messages an activation yields and schedules the process again, behind the others.
 * <p>
 * {@link #inline Inline}, for a handler that never blocks (the system processes: a ping or an
 * {@code rpc} request costs no wake-up), the thread that takes {@code pending} from 0 to 1 runs
 * the activation itself instead of scheduling it. The rules stay the same: a message that
 * arrives meanwhile, from another thread or from the handler itself, is queued and handled by
 * that activation after the current one, and a burst past the budget goes on on the scheduler.
 * <p>
 * Any other process activated by a connection's reader is run by that reader when its burst is
 * in ({@link DistConnection#runAfterBatch}), unless an activation of it ran long in the last
 * second: then by the scheduler.
 */
final class ScheduledProcess extends DefaultMailbox implements Runnable {

	private static final Logger logger = LoggerFactory.getLogger(ScheduledProcess.class);

	private static final Object EXITED = new Object();

	private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();

	private final AtomicInteger pending = new AtomicInteger();

	private final ProcessHandler handler;

	/** 1 while a message taken from the queue is being handled: not counted as waiting. */
	private volatile int inHand;

	private final ProcessScheduler scheduler;

	private final Runnable activate;

	/**
	 * An activation longer than this (a handler that blocks or computes long) makes the process
	 * run on the scheduler, not on the reader that delivers to it, for the next second: a reader
	 * running it would stop reading that long (up to the reader check's limit).
	 */
	private static final long RAN_LONG_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private static final long RAN_LONG_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(1);

	/** {@link System#nanoTime()} when an activation last ran long. */
	private volatile long ranLongAt = System.nanoTime() - RAN_LONG_MEMORY_NANOS - 1;

	private final boolean inline;

	/**
	 * Messages a reader handles for the process before the scheduler takes the rest: a reader
	 * answers a call or a few at once, and under load the process runs on a scheduler thread while
	 * the reader reads on, rather than the two taking turns on one thread.
	 */
	static final int READER_BUDGET = 4;

	private final Runnable onReader = () -> run(READER_BUDGET);

	ScheduledProcess(OtpErlangPid pid, Signals signals, int capacity, ProcessHandler handler,
			ProcessScheduler scheduler) {
		this(pid, signals, capacity, handler, scheduler, false);
	}

	private ScheduledProcess(OtpErlangPid pid, Signals signals, int capacity, ProcessHandler handler,
			ProcessScheduler scheduler, boolean inline) {
		super(pid, signals, capacity, false);
		this.handler = handler;
		this.scheduler = scheduler;
		this.activate = () -> scheduler.execute(this);
		this.inline = inline;
	}

	/**
	 * A process run by the threads that deliver to it, for a {@code handler} that never blocks.
	 * Its queue is unbounded, as a system process drops nothing.
	 */
	static ScheduledProcess inline(OtpErlangPid pid, Signals signals, ProcessHandler handler,
			ProcessScheduler scheduler) {
		return new ScheduledProcess(pid, signals, 0, handler, scheduler, true);
	}

	@Override
	void deliver(OtpErlangObject message) {
		if (isAlive() && admits(this.pending.get())) {
			enqueue(message);
		}
	}

	@Override
	void terminated(OtpErlangObject reason) {
		enqueue(EXITED);
	}

	private void enqueue(Object item) {
		this.inbox.offer(item);
		if (this.pending.getAndIncrement() == 0) {
			if (this.inline) {
				run();
			}
			else if (System.nanoTime() - this.ranLongAt > RAN_LONG_MEMORY_NANOS) {
				// a reader delivering a burst activates the process once, when the burst is in,
				// and runs it itself (no thread woken for it), unless the process ran long lately
				DistConnection.runAfterBatch(this.onReader, this.activate);
			}
			else {
				DistConnection.afterBatch(this.activate);
			}
		}
	}

	@Override
	public void run() {
		run(this.scheduler.budget());
	}

	private void run(int budget) {
		long started = System.nanoTime();
		// its sends in a burst leave when it ends: one write for the replies of a batch
		DistConnection.startTask();
		try {
			activation(budget);
		}
		finally {
			DistConnection.endTask();
			long now = System.nanoTime();
			if (now - started > RAN_LONG_NANOS) {
				this.ranLongAt = now;
			}
		}
	}

	private void activation(int budget) {
		for (int handled = 0; handled < budget; handled++) {
			Object next = this.inbox.poll();
			if (next == EXITED) {
				// pending stays above 0: the process is never scheduled again
				this.inbox.clear();
				exited();
				return;
			}
			if (next != null && isAlive()) {
				handle((OtpErlangObject) next);
			}
			if (this.pending.decrementAndGet() == 0) {
				return;
			}
		}
		this.scheduler.execute(this);
	}

	private void handle(OtpErlangObject message) {
		this.inHand = 1;
		try {
			this.handler.handle(this, message);
		}
		catch (Throwable ex) {
			logger.error("Process {} crashed handling a message: it exits", describe(), ex);
			terminate(Outcome.javaReason(ex));
		}
		finally {
			this.inHand = 0;
		}
	}

	private void exited() {
		try {
			this.handler.exited(this, exitReason());
		}
		catch (Throwable ex) {
			logger.warn("Process {} failed on its exit", describe(), ex);
		}
	}

	@Override
	public OtpErlangObject receive() {
		throw new IllegalStateException("a spawned process takes its messages in its handler");
	}

	@Override
	public OtpErlangObject receive(Duration timeout) {
		throw new IllegalStateException("a spawned process takes its messages in its handler");
	}

	@Override
	public int queueSize() {
		return Math.max(0, this.pending.get() - this.inHand - (isAlive() ? 0 : 1));
	}

	@Override
	public String toString() {
		return "Process[" + describe() + "]";
	}

}
