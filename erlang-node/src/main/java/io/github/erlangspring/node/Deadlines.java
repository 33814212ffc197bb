package io.github.erlangspring.node;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timeouts of pending calls, checked by a sweep every few milliseconds rather than a timer per
 * call: a timer per call wakes the timer thread on every call, which at one caller costs about
 * as much as the call. A timeout fires up to one sweep period late.
 */
final class Deadlines {

	static final long SWEEP_MILLIS = 5;

	/** One pending timeout; cancel it once the call is answered. */
	final class Deadline implements Comparable<Deadline> {

		private final long at;

		private final long sequence;

		private final Runnable action;

		Deadline(long at, long sequence, Runnable action) {
			this.at = at;
			this.sequence = sequence;
			this.action = action;
		}

		void cancel() {
			Deadlines.this.pending.remove(this);
		}

		@Override
		public int compareTo(Deadline other) {
			int byTime = Long.compare(this.at, other.at);
			return (byTime != 0) ? byTime : Long.compare(this.sequence, other.sequence);
		}

	}

	private final ConcurrentSkipListSet<Deadline> pending = new ConcurrentSkipListSet<>();

	private final java.util.concurrent.Executor actions;

	private final AtomicLong sequence = new AtomicLong();

	/**
	 * @param scheduler runs the sweeps
	 * @param actions runs the timeout actions (which may send, and so block on a stalled peer)
	 */
	Deadlines(ScheduledExecutorService scheduler, java.util.concurrent.Executor actions) {
		this.actions = actions;
		scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
	}

	Deadline add(long timeoutNanos, Runnable action) {
		Deadline deadline = new Deadline(System.nanoTime() + timeoutNanos, this.sequence.incrementAndGet(), action);
		this.pending.add(deadline);
		return deadline;
	}

	int size() {
		return this.pending.size();
	}

	private void sweep() {
		long now = System.nanoTime();
		for (Deadline first; (first = firstOrNull()) != null && first.at - now <= 0;) {
			if (this.pending.remove(first)) {
				Runnable action = first.action;
				try {
					this.actions.execute(() -> {
						try {
							action.run();
						}
						catch (Throwable ex) {
							// nothing waits for a timeout action's outcome
						}
					});
				}
				catch (java.util.concurrent.RejectedExecutionException ex) {
					return;
				}
				catch (Throwable ex) {
					// No thread for it now (out of memory or threads): keep the deadline for the next
					// sweep. A periodic task that throws is cancelled for good, so nothing escapes.
					this.pending.add(first);
					return;
				}
			}
		}
	}

	private Deadline firstOrNull() {
		return this.pending.isEmpty() ? null : this.pending.first();
	}

}
