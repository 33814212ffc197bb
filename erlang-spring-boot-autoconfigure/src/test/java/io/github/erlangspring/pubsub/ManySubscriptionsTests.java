package io.github.erlangspring.pubsub;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.test.ErlangPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 subscriptions to one topic on one node: each is a process run by the node's scheduler,
 * so the JVM's thread count does not grow with them (it grew by one thread per subscription),
 * and a publish reaches every one of them.
 */
class ManySubscriptionsTests {

	private static final Logger logger = LoggerFactory.getLogger(ManySubscriptionsTests.class);

	private static final int SUBSCRIPTIONS = 10_000;

	/** The scheduler's ceiling (256 threads when handlers block) and a margin: far below one per subscription. */
	private static final int MAX_NEW_THREADS = 300;

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	@Test
	void tenThousandSubscriptionsShareABoundedNumberOfThreads() throws Exception {
		ErlangNode node = java.start(ErlangPeer.randomCookie());
		PgScope scope = PgScope.start(node, "esb_many");
		PubSubTemplate pubSub = new PubSubTemplate(scope, new DefaultErlangConverter());
		int before = ManagementFactory.getThreadMXBean().getThreadCount();
		CountDownLatch received = new CountDownLatch(SUBSCRIPTIONS);
		AtomicLong payloads = new AtomicLong();
		List<Subscription> subscriptions = new ArrayList<>();
		for (int i = 0; i < SUBSCRIPTIONS; i++) {
			subscriptions.add(pubSub.subscribe("live", (message) -> {
				payloads.addAndGet(message.payload(Long.class));
				received.countDown();
			}));
		}
		int subscribed = ManagementFactory.getThreadMXBean().getThreadCount();
		assertThat(scope.members(new DefaultErlangConverter().toErlang("live"))).hasSize(SUBSCRIPTIONS);

		assertThat(pubSub.publish("live", 7L)).isEqualTo(SUBSCRIPTIONS);
		assertThat(received.await(120, TimeUnit.SECONDS)).as("every subscriber got the message").isTrue();
		int published = ManagementFactory.getThreadMXBean().getThreadCount();
		assertThat(payloads).hasValue(7L * SUBSCRIPTIONS);
		logger.info("threads: {} before, {} with {} subscriptions, {} after a publish to all", before, subscribed,
				SUBSCRIPTIONS, published);
		assertThat(subscribed - before).as("threads added by %d subscriptions", SUBSCRIPTIONS)
			.isLessThan(MAX_NEW_THREADS);
		assertThat(published - before).as("threads added by a publish to %d subscriptions", SUBSCRIPTIONS)
			.isLessThan(MAX_NEW_THREADS);

		subscriptions.forEach(Subscription::close);
		assertThat(scope.members(new DefaultErlangConverter().toErlang("live"))).isEmpty();
		scope.close();
	}

}
