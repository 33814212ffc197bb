package io.github.erlangspring.node.dist;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link OutboundQueue}: order, the bound, senders waiting for room, and clearing.
 */
class OutboundQueueTests {

	@Test
	void keepsOrderAndHoldsNoMoreThanItsCapacity() {
		OutboundQueue queue = new OutboundQueue(3);
		assertThat(queue.offer(frame(1))).isTrue();
		assertThat(queue.offer(frame(2))).isTrue();
		assertThat(queue.offer(frame(3))).isTrue();
		assertThat(queue.offer(frame(4))).isFalse();
		assertThat(queue.size()).isEqualTo(3);
		assertThat(queue.poll()[0]).isEqualTo((byte) 1);
		assertThat(queue.offer(frame(5))).isTrue();
		assertThat(List.of(queue.poll()[0], queue.poll()[0], queue.poll()[0])).containsExactly((byte) 2, (byte) 3,
				(byte) 5);
		assertThat(queue.poll()).isNull();
		assertThat(queue.isEmpty()).isTrue();
		assertThat(queue.size()).isZero();
	}

	@Test
	void aSenderWaitsForRoomUntilTheWriterTakesAFrame() throws Exception {
		OutboundQueue queue = new OutboundQueue(1);
		queue.offer(frame(1));
		ExecutorService sender = Executors.newSingleThreadExecutor();
		try {
			Future<Boolean> added = waitingSender(queue, sender);
			assertThat(queue.poll()[0]).isEqualTo((byte) 1);
			assertThat(added.get(30, TimeUnit.SECONDS)).isTrue();
			assertThat(queue.poll()[0]).isEqualTo((byte) 2);
		}
		finally {
			sender.shutdownNow();
		}
	}

	@Test
	void aSenderWaitsNoLongerThanItsTimeout() throws Exception {
		OutboundQueue queue = new OutboundQueue(1);
		queue.offer(frame(1));
		assertThat(queue.offer(frame(2), 20, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(queue.size()).isEqualTo(1);
	}

	@Test
	void clearingEndsTheWaitsAndTakesNothingMore() throws Exception {
		OutboundQueue queue = new OutboundQueue(1);
		queue.offer(frame(1));
		ExecutorService sender = Executors.newSingleThreadExecutor();
		try {
			Future<Boolean> added = waitingSender(queue, sender);
			queue.clear();
			assertThat(added.get(30, TimeUnit.SECONDS)).isFalse();
			assertThat(queue.offer(frame(3))).isFalse();
			assertThat(queue.poll()).isNull();
			assertThat(queue.size()).isZero();
		}
		finally {
			sender.shutdownNow();
		}
	}

	/** @return a sender of frame 2 into the full queue, once it waits for room */
	private static Future<Boolean> waitingSender(OutboundQueue queue, ExecutorService sender) throws Exception {
		Future<Boolean> added = sender.submit(() -> queue.offer(frame(2), 30, TimeUnit.SECONDS));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (queue.waiting() == 0 && !added.isDone() && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(queue.waiting()).as("the sender waits for room").isEqualTo(1);
		return added;
	}

	@Test
	void manySendersLoseNoFrameAndKeepEachOnesOrder() throws Exception {
		int senders = 8;
		int each = 20_000;
		OutboundQueue queue = new OutboundQueue(64);
		ExecutorService pool = Executors.newFixedThreadPool(senders);
		try {
			List<Future<Boolean>> done = new ArrayList<>();
			for (int s = 0; s < senders; s++) {
				int sender = s;
				done.add(pool.submit(() -> {
					for (int i = 0; i < each; i++) {
						if (!queue.offer(new byte[] { (byte) sender, (byte) (i >> 16), (byte) (i >> 8), (byte) i }, 30,
								TimeUnit.SECONDS)) {
							return false;
						}
					}
					return true;
				}));
			}
			int[] next = new int[senders];
			for (int taken = 0; taken < senders * each;) {
				byte[] frame = queue.poll();
				if (frame == null) {
					Thread.onSpinWait();
					continue;
				}
				assertThat(queue.size()).isLessThanOrEqualTo(64);
				int sender = frame[0];
				int i = ((frame[1] & 0xFF) << 16) | ((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF);
				assertThat(i).isEqualTo(next[sender]);
				next[sender]++;
				taken++;
			}
			for (Future<Boolean> sent : done) {
				assertThat(sent.get(30, TimeUnit.SECONDS)).isTrue();
			}
			assertThat(queue.poll()).isNull();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void capacityMustBePositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> new OutboundQueue(0));
	}

	private static byte[] frame(int marker) {
		return new byte[] { (byte) marker };
	}

}
