package io.github.erlangspring.node;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.erlangspring.node.dist.DistConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A mailbox's {@link MessageQueue}: order, timeouts, and no lost wake-up when waking is deferred
 * to the end of the offering thread's batch ({@link DistConnection#cork()}).
 */
class MessageQueueTests {

	@Test
	void itemsComeOutInOrderAndAreCounted() throws InterruptedException {
		MessageQueue queue = new MessageQueue();
		queue.offer("a");
		queue.offer("b");
		assertThat(queue.size()).isEqualTo(2);
		assertThat(queue.poll()).isEqualTo("a");
		assertThat(queue.poll(TimeUnit.SECONDS.toNanos(1))).isEqualTo("b");
		assertThat(queue.size()).isZero();
		assertThat(queue.poll()).isNull();
	}

	@Test
	void aTakerWaitsUntilTheTimeout() throws InterruptedException {
		MessageQueue queue = new MessageQueue();
		long start = System.nanoTime();
		assertThat(queue.poll(TimeUnit.MILLISECONDS.toNanos(50))).isNull();
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
		assertThat(queue.waiting()).isZero();
	}

	@Test
	void aWaitingTakerIsWokenByAnOffer() {
		MessageQueue queue = new MessageQueue();
		CompletableFuture<Object> taken = take(queue);
		await().atMost(10, TimeUnit.SECONDS).until(() -> queue.waiting() == 1);
		queue.offer("m");
		assertThat(taken.join()).isEqualTo("m");
	}

	@Test
	void takersWaitingWhileABatchOffersSeveralItemsAreAllWokenWhenItEnds() {
		MessageQueue queue = new MessageQueue();
		List<CompletableFuture<Object>> takers = List.of(take(queue), take(queue), take(queue));
		await().atMost(10, TimeUnit.SECONDS).until(() -> queue.waiting() == 3);
		DistConnection.cork();
		try {
			queue.offer(1);
			queue.offer(2);
			queue.offer(3);
			// in the queue already: a taker that looks now takes it without waiting
			assertThat(queue.size()).isEqualTo(3);
		}
		finally {
			DistConnection.uncork();
		}
		// one deferred wake-up for the batch; each woken taker passes it on while items remain
		assertThat(takers.stream().map(CompletableFuture::join).toList()).containsExactlyInAnyOrder(1, 2, 3);
	}

	private static CompletableFuture<Object> take(MessageQueue queue) {
		CompletableFuture<Object> taken = new CompletableFuture<>();
		Thread taker = new Thread(() -> {
			try {
				taken.complete(queue.poll(TimeUnit.SECONDS.toNanos(30)));
			}
			catch (Throwable ex) {
				taken.completeExceptionally(ex);
			}
		});
		taker.setDaemon(true);
		taker.start();
		return taken;
	}

}
