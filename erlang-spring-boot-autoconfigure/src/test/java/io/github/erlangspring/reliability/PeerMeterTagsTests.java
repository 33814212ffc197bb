package io.github.erlangspring.reliability;

import java.util.HashSet;
import java.util.Set;

import io.github.erlangspring.metrics.ErlangNodeMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that connects under ever new names (any cookie holder can) does not grow the meter
 * registry without bound: past 256 peers, new names are counted under "other".
 */
class PeerMeterTagsTests {

	@Test
	void peerTagsAreBounded() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		ErlangNodeMetrics metrics = new ErlangNodeMetrics(registry);
		for (int i = 0; i < 5000; i++) {
			metrics.connectionUp("esb_cycle_" + i + "@127.0.0.1", true);
		}
		metrics.connectionUp("esb_cycle_0@127.0.0.1", true);
		Set<String> peers = new HashSet<>();
		for (Meter meter : registry.find("erlang.node.connects").meters()) {
			peers.add(meter.getId().getTag("peer"));
		}
		assertThat(peers).hasSizeLessThanOrEqualTo(257).contains("esb_cycle_0@127.0.0.1", "other");
		assertThat(registry.get("erlang.node.connects").tag("peer", "esb_cycle_0@127.0.0.1").counter().count())
			.isEqualTo(2);
	}

}
