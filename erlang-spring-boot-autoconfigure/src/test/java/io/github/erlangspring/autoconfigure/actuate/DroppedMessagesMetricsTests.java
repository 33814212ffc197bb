package io.github.erlangspring.autoconfigure.actuate;

import java.time.Duration;
import java.util.Map;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A bounded mailbox counts, per process, the messages it dropped because it was full. */
class DroppedMessagesMetricsTests {

	@RegisterExtension
	final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@Test
	void aFullMailboxCountsWhatItDrops() {
		ErlangPeer peer = ObservedApp.peer(this.erlang, null).start();
		String javaNode = ErlangPeer.uniqueAlive("esb_obs") + "@127.0.0.1";
		try (ConfigurableApplicationContext context = ObservedApp.start(javaNode, peer, peer.nodeName(),
				Map.of("erlang.limits.mailbox-capacity", "2"))) {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Mailbox full = context.getBean(ErlangNode.class).createMailbox("obs_full");
			assertThat(dropped(registry, "obs_full")).isZero();
			assertThat(peer.eval("[{obs_full, '" + javaNode + "'} ! N || N <- lists:seq(1, 5)], "
					+ "{obs_full, '" + javaNode + "'} ! last, ok")).hasToString("ok");
			// two kept, four dropped; nothing reads the mailbox
			await().atMost(Duration.ofSeconds(10)).until(() -> dropped(registry, "obs_full") == 4);
			assertThat(full.queueSize()).isEqualTo(2);
			assertThat(dropped(registry, "obs_gate")).as("another process dropped nothing").isZero();
		}
	}

	private static double dropped(MeterRegistry registry, String process) {
		FunctionCounter counter = registry.find("erlang.process.messages.dropped").tag("process", process).functionCounter();
		assertThat(counter).as("erlang.process.messages.dropped of " + process).isNotNull();
		return counter.count();
	}

}
