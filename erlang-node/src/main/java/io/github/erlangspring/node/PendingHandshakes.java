package io.github.erlangspring.node;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The handshakes of accepted connections: at most {@code capacity} at once, on a pool of at most
 * {@code capacity} threads. When all are taken, a new connection closes the oldest one that has
 * not yet sent its name (else the oldest of all): a real peer sends its name as soon as it
 * connects, so a flood of idle or stalled connections neither costs a thread each nor keeps
 * real peers out. Each handshake is also bounded in time by the caller's watchdog.
 */
final class PendingHandshakes {

	/** One accepted connection in its handshake. */
	static final class Slot {

		final Socket socket;

		private volatile boolean named;

		private volatile boolean released;

		Slot(Socket socket) {
			this.socket = socket;
		}

		/** The peer sent its name: evicted only after those that did not. */
		void named() {
			this.named = true;
		}

	}

	private final int capacity;

	private final ThreadPoolExecutor pool;

	private final ArrayDeque<Slot> slots = new ArrayDeque<>();

	private final AtomicLong evicted = new AtomicLong();

	PendingHandshakes(int capacity, ThreadFactory threads) {
		this.capacity = capacity;
		// Up to capacity threads; the queue holds new handshakes while evicted ones wind down.
		this.pool = new ThreadPoolExecutor(capacity, capacity, 10, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(capacity), threads);
		this.pool.allowCoreThreadTimeOut(true);
	}

	/**
	 * Runs {@code handshake} for a newly accepted socket, evicting the least promising pending
	 * one when all slots are taken.
	 * @return whether it was taken; if not, the socket is closed
	 */
	boolean start(Socket socket, Consumer<Slot> handshake) {
		Slot slot = new Slot(socket);
		Slot victim = null;
		synchronized (this.slots) {
			if (this.slots.size() >= this.capacity) {
				victim = evictable();
				this.slots.remove(victim);
				victim.released = true;
			}
			this.slots.addLast(slot);
		}
		if (victim != null) {
			this.evicted.incrementAndGet();
			closeQuietly(victim.socket);
		}
		try {
			this.pool.execute(() -> {
				try {
					handshake.accept(slot);
				}
				finally {
					release(slot);
				}
			});
			return true;
		}
		catch (RejectedExecutionException | OutOfMemoryError ex) {
			release(slot);
			closeQuietly(socket);
			return false;
		}
	}

	private Slot evictable() {
		for (Iterator<Slot> it = this.slots.iterator(); it.hasNext();) {
			Slot candidate = it.next();
			if (!candidate.named) {
				return candidate;
			}
		}
		return this.slots.peekFirst();
	}

	private void release(Slot slot) {
		synchronized (this.slots) {
			if (!slot.released) {
				slot.released = true;
				this.slots.remove(slot);
			}
		}
	}

	/** @return handshakes in progress */
	int size() {
		synchronized (this.slots) {
			return this.slots.size();
		}
	}

	/** @return connections closed so far to make room for newer ones */
	long evicted() {
		return this.evicted.get();
	}

	void close() {
		this.pool.shutdownNow();
		synchronized (this.slots) {
			this.slots.forEach((slot) -> closeQuietly(slot.socket));
			this.slots.clear();
		}
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
