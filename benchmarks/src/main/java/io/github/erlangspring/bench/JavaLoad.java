package io.github.erlangspring.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load from Java threads: each thread calls, waits for the answer, calls again, for
 * the warmup and then the measurement window. Each call is timed with {@link System#nanoTime()};
 * calls that complete inside the window count.
 */
final class JavaLoad {

	/** One caller's call; throws when the call fails or answers something unexpected. */
	@FunctionalInterface
	interface Caller {

		void call() throws Exception;

	}

	/** Makes the caller of thread {@code index} (e.g. with its own mailbox). */
	@FunctionalInterface
	interface CallerFactory {

		Caller create(int index) throws Exception;

	}

	/** Told, from the thread that started the load, when the measurement window opens and closes. */
	interface Window {

		void opened();

		void closed();

	}

	private JavaLoad() {
	}

	static Stats run(String name, int threads, Duration warmup, Duration measure, CallerFactory factory,
			Window observer) throws Exception {
		List<Caller> callers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			callers.add(factory.create(i));
		}
		// One call first: a broken variant fails with its real error instead of counting errors.
		callers.get(0).call();
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		// Callers stay alive until the window's end was observed: a thread that ended would take its
		// counters (/proc/self/task/TID) with it.
		CountDownLatch observed = new CountDownLatch(1);
		long[] window = new long[2];
		Recorder[] recorders = new Recorder[threads];
		AtomicReference<Throwable> crashed = new AtomicReference<>();
		Thread[] workers = new Thread[threads];
		for (int i = 0; i < threads; i++) {
			Caller caller = callers.get(i);
			Recorder recorder = recorders[i] = new Recorder();
			workers[i] = new Thread(() -> {
				ready.countDown();
				try {
					go.await();
					loop(caller, recorder, window[0], window[1]);
					observed.await();
				}
				catch (Throwable ex) {
					crashed.compareAndSet(null, ex);
				}
			}, "bench-" + name + "-" + i);
			workers[i].setDaemon(true);
			workers[i].start();
		}
		ready.await();
		long start = System.nanoTime();
		window[0] = start + warmup.toNanos();
		window[1] = window[0] + measure.toNanos();
		go.countDown(); // happens-before: the workers see window[]
		sleepUntil(window[0]);
		observer.opened();
		sleepUntil(window[1]);
		try {
			observer.closed();
		}
		finally {
			observed.countDown();
		}
		for (Thread worker : workers) {
			worker.join(warmup.plusSeconds(60).plus(measure).toMillis());
			if (worker.isAlive()) {
				throw new IllegalStateException(worker.getName() + " is stuck");
			}
		}
		if (crashed.get() != null) {
			throw new IllegalStateException("a caller thread crashed", crashed.get());
		}
		int total = 0;
		long errors = 0;
		for (Recorder recorder : recorders) {
			total += recorder.size;
			errors += recorder.errors;
		}
		long[] all = new long[total];
		int at = 0;
		for (Recorder recorder : recorders) {
			System.arraycopy(recorder.samples, 0, all, at, recorder.size);
			at += recorder.size;
		}
		return Stats.of(all, window[1] - window[0], errors);
	}

	static void sleepUntil(long nanoTime) throws InterruptedException {
		for (long left; (left = nanoTime - System.nanoTime()) > 0;) {
			Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
		}
	}

	private static void loop(Caller caller, Recorder recorder, long t0, long t1) {
		while (true) {
			long s = System.nanoTime();
			if (s >= t1) {
				return;
			}
			boolean ok;
			try {
				caller.call();
				ok = true;
			}
			catch (Exception ex) {
				ok = false;
				if (ex instanceof InterruptedException) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			long e = System.nanoTime();
			if (e >= t0 && e < t1) {
				if (ok) {
					recorder.add(e - s);
				}
				else {
					recorder.errors++;
				}
			}
		}
	}

	/** Latency samples of one thread. */
	private static final class Recorder {

		long[] samples = new long[1 << 16];

		int size;

		long errors;

		void add(long nanos) {
			if (this.size == this.samples.length) {
				this.samples = Arrays.copyOf(this.samples, this.size * 2);
			}
			this.samples[this.size++] = nanos;
		}

	}

}
