package io.github.erlangspring.node;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the node's scheduled processes: a process that has messages is one task in a shared FIFO
 * run queue; it handles up to {@link #budget()} messages, then goes to the back of the queue if
 * it has more (so a long burst on one process does not hold back the others). A process is never
 * in the queue twice, so its messages are handled one at a time, in order.
 * <p>
 * Threads: with virtual threads (asked for, and Java 21+) every activation runs on a virtual
 * thread of its own, which exists only while it runs: a handler that blocks parks its virtual
 * thread and frees the carrier. Otherwise a pool of daemon platform threads
 * ({@code erlang-scheduler-N}) of {@code threads} threads runs them; a watchdog looks every
 * {@code 100 ms} whether the pool made progress, and when every thread is busy (handlers that
 * block) and work waits, it adds a thread, up to {@code maxThreads}, as
 * {@code ForkJoinPool.ManagedBlocker} compensates; the extra threads end after 30 s idle. The
 * number of threads never depends on the number of processes.
 */
public final class ProcessScheduler implements Executor, AutoCloseable {

	/** Messages a process handles before it yields to the others. */
	public static final int DEFAULT_BUDGET = 64;

	private final boolean virtual;

	private final ThreadPoolExecutor pool;

	private final int threads;

	private final int maxThreads;

	private final int budget;

	private final AtomicLong completed = new AtomicLong();

	private final ScheduledFuture<?> watchdog;

	private long lastCompleted = -1;

	/**
	 * @param virtual run activations on virtual threads where the JVM has them
	 * @param threads platform threads of the pool when not virtual
	 * @param maxThreads at most this many when handlers block
	 * @param budget messages a process handles before yielding
	 * @param timer runs the watchdog (may be {@code null}: no growth)
	 */
	public ProcessScheduler(boolean virtual, int threads, int maxThreads, int budget, ScheduledExecutorService timer) {
		this.virtual = virtual && Threads.virtualThreadsAvailable();
		this.threads = Math.max(1, threads);
		this.maxThreads = Math.max(this.threads, maxThreads);
		this.budget = Math.max(1, budget);
		if (this.virtual) {
			this.pool = null;
			this.watchdog = null;
		}
		else {
			this.pool = new ThreadPoolExecutor(this.threads, this.threads, 30, TimeUnit.SECONDS,
					new LinkedBlockingQueue<>(), Threads.factory("erlang-scheduler", false)) {

				@Override
				protected void afterExecute(Runnable activation, Throwable failure) {
					// progress, for the watchdog: counted here rather than by wrapping each activation
					ProcessScheduler.this.completed.incrementAndGet();
				}

			};
			this.pool.allowCoreThreadTimeOut(true);
			this.watchdog = (timer != null) ? timer.scheduleWithFixedDelay(this::watch, 100, 100, TimeUnit.MILLISECONDS)
					: null;
		}
	}

	/** A scheduler for this JVM: {@code 2 × cores} threads (at least 4), growing to 256 when handlers block. */
	public static ProcessScheduler create(boolean virtual, ScheduledExecutorService timer) {
		int cores = Runtime.getRuntime().availableProcessors();
		return new ProcessScheduler(virtual, Math.max(4, 2 * cores), 256, DEFAULT_BUDGET, timer);
	}

	/** @return messages a process handles before yielding */
	public int budget() {
		return this.budget;
	}

	/** @return whether activations run on virtual threads */
	public boolean isVirtual() {
		return this.virtual;
	}

	/** @return the platform threads the pool has now (0 with virtual threads) */
	public int poolSize() {
		return (this.pool != null) ? this.pool.getPoolSize() : 0;
	}

	@Override
	public void execute(Runnable activation) {
		if (this.pool != null) {
			try {
				this.pool.execute(activation);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// the node stopped: what is left (an exit told late) runs on a thread of its own
				Threads.start("erlang-process-late", false, activation);
			}
		}
		else {
			Threads.start("erlang-process", true, activation);
		}
	}

	/** Every thread busy and nothing finished since the last look while work waits: one more thread. */
	private synchronized void watch() {
		long done = this.completed.get();
		boolean stuck = done == this.lastCompleted && !this.pool.getQueue().isEmpty()
				&& this.pool.getActiveCount() >= this.pool.getCorePoolSize();
		this.lastCompleted = done;
		if (stuck && this.pool.getCorePoolSize() < this.maxThreads) {
			int size = this.pool.getCorePoolSize() + 1;
			this.pool.setMaximumPoolSize(Math.max(size, this.pool.getMaximumPoolSize()));
			this.pool.setCorePoolSize(size);
		}
		else if (this.pool.getQueue().isEmpty() && this.pool.getCorePoolSize() > this.threads) {
			this.pool.setCorePoolSize(this.threads);
			this.pool.setMaximumPoolSize(this.threads);
		}
	}

	@Override
	public void close() {
		if (this.watchdog != null) {
			this.watchdog.cancel(false);
		}
		if (this.pool != null) {
			this.pool.shutdown();
		}
	}

}
