package io.github.erlangspring.node.epmd;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Releasing an embedded EPMD ({@link EmbeddedEpmd#release(String)}): it closes when only its
 * owner was registered; otherwise it keeps serving the other nodes, can be adopted again on its
 * port, and closes once the last node unregisters.
 */
class EmbeddedEpmdReleaseTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Test
	void releasedByItsOnlyNodeItClosesAtOnce() throws IOException {
		EmbeddedEpmd epmd = EmbeddedEpmd.start(InetAddress.getLoopbackAddress(), 0);
		EpmdClient client = new EpmdClient(epmd.port(), TIMEOUT);
		Registration owner = client.register("esb_owner", 40001, true);
		await().atMost(TIMEOUT).until(() -> epmd.registeredNames().containsKey("esb_owner"));
		owner.close();
		epmd.release("esb_owner");
		assertThat(epmd.isRunning()).isFalse();
		assertThat(EmbeddedEpmd.adopt(epmd.port())).isNull();
	}

	@Test
	void releasedWhileOthersAreRegisteredItServesThemIsAdoptedAndClosesWhenTheLastLeaves() throws IOException {
		EmbeddedEpmd epmd = EmbeddedEpmd.start(InetAddress.getLoopbackAddress(), 0);
		EpmdClient client = new EpmdClient(epmd.port(), TIMEOUT);
		Registration owner = client.register("esb_owner", 40001, true);
		Registration other = client.register("esb_other", 40002, true);
		await().atMost(TIMEOUT).until(() -> epmd.registeredNames().size() == 2);

		owner.close();
		epmd.release("esb_owner");
		assertThat(epmd.isRunning()).as("serves esb_other").isTrue();
		assertThat(epmd.registeredNames()).containsOnlyKeys("esb_other");
		assertThat(client.lookup("127.0.0.1", "esb_other")).isPresent();

		// a new owner (the next context of this JVM) takes it over and registers the same name again
		EmbeddedEpmd adopted = EmbeddedEpmd.adopt(epmd.port());
		assertThat(adopted).isSameAs(epmd);
		assertThat(EmbeddedEpmd.adopt(epmd.port())).as("adopted once").isNull();
		Registration again = client.register("esb_owner", 40003, true);
		await().atMost(TIMEOUT).until(() -> epmd.registeredNames().containsKey("esb_owner"));
		again.close();
		adopted.release("esb_owner");
		assertThat(epmd.isRunning()).isTrue();

		other.close();
		await().atMost(TIMEOUT).until(() -> !epmd.isRunning());
		assertThat(EmbeddedEpmd.adopt(epmd.port())).isNull();
	}

}
