package io.github.erlangspring.node;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.github.erlangspring.node.dist.DistConnection;

/**
 * A mailbox's queue: unbounded, lock-free to add to and to take from while it has items; a taker
 * that finds it empty waits on a condition. A message is in the queue as soon as it is
 * {@link #offer offered}; waking a waiting taker is deferred while the offering thread works
 * through a batch ({@link DistConnection#afterBatch}), so a connection's reader that delivers a
 * burst of frames to one mailbox wakes its thread once, not once per message.
 */
final class MessageQueue {

	private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();

	private final AtomicInteger size = new AtomicInteger();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition nonEmpty = this.lock.newCondition();

	/** Takers waiting or about to wait; read by offerers after adding (and written before looking). */
	private volatile int waiting;

	private final Runnable wake = this::signal;

	void offer(Object item) {
		this.items.offer(item);
		this.size.incrementAndGet();
		if (this.waiting > 0) {
			DistConnection.afterBatch(this.wake);
		}
	}

	/** @return the next item, or {@code null} if there is none now */
	Object poll() {
		Object item = this.items.poll();
		if (item != null) {
			this.size.decrementAndGet();
		}
		return item;
	}

	/** @return the next item, waiting up to {@code nanos} for one; {@code null} if none came */
	Object poll(long nanos) throws InterruptedException {
		Object item = poll();
		if (item != null || nanos <= 0) {
			return item;
		}
		DistConnection.beforeBlocking();
		this.lock.lockInterruptibly();
		try {
			this.waiting++;
			try {
				while ((item = poll()) == null) {
					if (nanos <= 0) {
						return null;
					}
					nanos = this.nonEmpty.awaitNanos(nanos);
				}
			}
			finally {
				this.waiting--;
			}
			if (this.waiting > 0 && !this.items.isEmpty()) {
				// one signal may stand for several items: pass it on
				this.nonEmpty.signal();
			}
			return item;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** @return the next item, waiting as long as it takes */
	Object take() throws InterruptedException {
		Object item;
		while ((item = poll(TimeUnit.DAYS.toNanos(1))) == null) {
			// waited a day: wait again
		}
		return item;
	}

	int size() {
		return Math.max(0, this.size.get());
	}

	/** @return takers waiting now (for tests) */
	int waiting() {
		return this.waiting;
	}

	private void signal() {
		this.lock.lock();
		try {
			this.nonEmpty.signal();
		}
		finally {
			this.lock.unlock();
		}
	}

}
