package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep of call timeouts is a periodic task, which a single thrown exception would cancel for
 * good: it survives a run that fails (no thread to run an action on), and the timeout fires later.
 */
class DeadlinesTests {

	@Test
	void aSweepThatFailsDoesNotStopLaterTimeouts() throws Exception {
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
		AtomicInteger attempts = new AtomicInteger();
		Executor flaky = (task) -> {
			if (attempts.incrementAndGet() == 1) {
				throw new OutOfMemoryError("unable to create native thread (simulated)");
			}
			task.run();
		};
		try {
			Deadlines deadlines = new Deadlines(scheduler, flaky);
			CountDownLatch first = new CountDownLatch(1);
			CountDownLatch second = new CountDownLatch(1);
			deadlines.add(Duration.ofMillis(1).toNanos(), first::countDown);
			assertThat(first.await(30, TimeUnit.SECONDS)).as("the timeout whose first run failed").isTrue();
			deadlines.add(Duration.ofMillis(1).toNanos(), second::countDown);
			assertThat(second.await(30, TimeUnit.SECONDS)).as("a later timeout").isTrue();
			assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
		}
		finally {
			scheduler.shutdownNow();
		}
	}

}
