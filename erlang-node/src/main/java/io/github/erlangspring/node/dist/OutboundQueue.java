package io.github.erlangspring.node.dist;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The frames waiting to be written on one connection: many senders, one writer at a time. Adding
 * a frame takes no lock while there is room (a lock taken by every sender was where senders on
 * many threads queued up: one lock hand-off, often a wake-up, per message); only a sender that
 * finds it full waits, until the writer takes frames out, the queue is cleared, or its time runs
 * out.
 */
final class OutboundQueue {

	private final int capacity;

	private final ConcurrentLinkedQueue<byte[]> frames = new ConcurrentLinkedQueue<>();

	/** Frames added and not yet taken out: at most {@link #capacity} once a sender got its place. */
	private final AtomicInteger size = new AtomicInteger();

	private final AtomicInteger waiting = new AtomicInteger();

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition room = this.lock.newCondition();

	private volatile boolean cleared;

	OutboundQueue(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be positive: " + capacity);
		}
		this.capacity = capacity;
	}

	/**
	 * @param frame the frame
	 * @return whether there was room for it
	 */
	boolean offer(byte[] frame) {
		if (this.cleared || !reserve()) {
			return false;
		}
		this.frames.offer(frame);
		return true;
	}

	/**
	 * Adds a frame, waiting for room when the queue is full.
	 * @param frame the frame
	 * @param timeout longest wait
	 * @param unit unit of {@code timeout}
	 * @return {@code false} when no room came in time, or the queue was {@link #clear() cleared}
	 * @throws InterruptedException when interrupted while waiting
	 */
	boolean offer(byte[] frame, long timeout, TimeUnit unit) throws InterruptedException {
		if (offer(frame)) {
			return true;
		}
		long remaining = unit.toNanos(timeout);
		this.lock.lockInterruptibly();
		this.waiting.incrementAndGet();
		try {
			// the writer reads 'waiting' after it frees room: either it sees us and signals, or we
			// see the room it made before we wait
			while (!this.cleared && !reserve()) {
				if (remaining <= 0) {
					return false;
				}
				remaining = this.room.awaitNanos(remaining);
			}
		}
		finally {
			this.waiting.decrementAndGet();
			this.lock.unlock();
		}
		if (this.cleared) {
			return false;
		}
		this.frames.offer(frame);
		return true;
	}

	private boolean reserve() {
		for (int current = this.size.get(); current < this.capacity; current = this.size.get()) {
			if (this.size.compareAndSet(current, current + 1)) {
				return true;
			}
		}
		return false;
	}

	/** @return the oldest frame, or {@code null} when none is queued; one writer at a time */
	byte[] poll() {
		byte[] frame = this.frames.poll();
		if (frame != null) {
			this.size.decrementAndGet();
			if (this.waiting.get() > 0) {
				signalRoom();
			}
		}
		return frame;
	}

	boolean isEmpty() {
		return this.frames.isEmpty();
	}

	/** @return frames queued (including those of senders about to add theirs) */
	int size() {
		return this.size.get();
	}

	/** @return senders waiting for room */
	int waiting() {
		return this.waiting.get();
	}

	/** Drops every frame, for good: senders waiting for room stop waiting and add nothing. */
	void clear() {
		this.cleared = true;
		while (this.frames.poll() != null) {
			this.size.decrementAndGet();
		}
		signalRoom();
	}

	private void signalRoom() {
		this.lock.lock();
		try {
			this.room.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

}
