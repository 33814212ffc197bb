package io.github.erlangspring.test.context;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.HandleCall;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Import;

/** A small application: an {@code @ErlangRpc} bean and a concurrent {@code @ErlangProcess}. */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import({ TestApplication.Greeter.class, TestApplication.Counter.class, TestApplication.Starts.class })
class TestApplication {

	@ErlangRpc(module = "greeter")
	static class Greeter {

		@ErlangRpc
		String hello(String name) {
			return "Hello, " + name + "!";
		}

	}

	@ErlangProcess(value = "counter", concurrency = "4")
	static class Counter {

		private final AtomicInteger value = new AtomicInteger();

		@HandleCall("incr")
		int incr() {
			return this.value.incrementAndGet();
		}

	}

	/** Counts how often the context was started (a paused cached context starts again). */
	static class Starts implements SmartLifecycle {

		final AtomicInteger count = new AtomicInteger();

		private volatile boolean running;

		@Override
		public void start() {
			this.count.incrementAndGet();
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
