package io.github.erlangspring.autoconfigure;

import java.util.concurrent.CountDownLatch;

import org.springframework.context.SmartLifecycle;

/**
 * Keeps the JVM alive while the Erlang node runs. Every thread of the node is a daemon, so an
 * application with no web server (one whose only job is to serve Erlang) would otherwise exit as
 * soon as its {@code main} returns. Like the consumer threads of Spring's listener containers, a
 * non-daemon thread runs from the context's start until it stops or closes.
 */
final class ErlangNodeKeepAlive implements SmartLifecycle {

	private Thread thread;

	private CountDownLatch released;

	@Override
	public synchronized void start() {
		if (this.thread != null) {
			return;
		}
		CountDownLatch latch = new CountDownLatch(1);
		Thread keepAlive = new Thread(() -> awaitRelease(latch), "erlang-keep-alive");
		keepAlive.setDaemon(false);
		keepAlive.start();
		this.released = latch;
		this.thread = keepAlive;
	}

	@Override
	public synchronized void stop() {
		if (this.thread == null) {
			return;
		}
		this.released.countDown();
		this.thread = null;
		this.released = null;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.thread != null;
	}

	private static void awaitRelease(CountDownLatch latch) {
		while (true) {
			try {
				latch.await();
				return;
			}
			catch (InterruptedException ex) {
				// only stop() ends it: an interrupt from elsewhere must not let the JVM exit
			}
		}
	}

}
