package io.github.erlangspring.metrics;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.DisconnectReason.Kind;
import io.github.erlangspring.node.ErlangClass;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangNodeDownException;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.ErlangTimeoutException;
import io.github.erlangspring.node.NodeObserver.MessageKind;
import io.github.erlangspring.node.NodeObserver.Result;
import io.github.erlangspring.node.NodeObserver.RpcOutcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meters of node events and their tag values (docs/observability.md), without a node: the
 * typed reasons and outcomes become the documented words.
 */
class ErlangNodeMetricsTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final ErlangNodeMetrics metrics = new ErlangNodeMetrics(this.registry);

	private static ErlangNode.ConnectionInfo closed(String node) {
		return new ErlangNode.ConnectionInfo(node, false, 0, 3, 4, 30, 40, 0);
	}

	@Test
	void disconnectsAreCountedByPeerAndReasonKind() {
		this.metrics.connectionDown(closed("a@h"), new DisconnectReason(Kind.TICK_TIMEOUT, "nothing received"));
		this.metrics.connectionDown(closed("a@h"), DisconnectReason.of(Kind.NODE_STOPPING));
		this.metrics.connectionDown(closed("a@h"), new DisconnectReason(Kind.SEND_QUEUE_FULL, "for PT5S"));
		this.metrics.connectionDown(closed("a@h"), new DisconnectReason(Kind.OTHER, "reader failed"));
		for (String reason : new String[] { "tick_timeout", "node_stopping", "send_queue_full", "other" }) {
			assertThat(this.registry.get("erlang.node.disconnects").tags("peer", "a@h", "reason", reason).counter().count())
				.as(reason)
				.isEqualTo(1);
		}
		assertThat(this.metrics.closedMessagesIn()).isEqualTo(12);
		assertThat(this.metrics.closedBytesOut()).isEqualTo(160);
	}

	@Test
	void droppedSendsAreCountedByPeer() {
		this.metrics.sendDropped("a@h", 3);
		this.metrics.sendDropped("a@h", 1);
		assertThat(this.registry.get("erlang.node.sends.dropped").tags("peer", "a@h").counter().count()).isEqualTo(4);
	}

	@Test
	void rpcOutcomesAreTaggedWithTheirWords() {
		this.metrics.rpcServed("m", "f", 1, RpcOutcome.RETURN, 10);
		this.metrics.rpcServed("m", "f", 1, RpcOutcome.THROW, 10);
		assertThat(this.registry.get("erlang.rpc.server").tags("module", "m", "function", "f", "outcome", "return").timer().count())
			.isEqualTo(1);
		assertThat(this.registry.get("erlang.rpc.server").tags("outcome", "throw").timer().count()).isEqualTo(1);
	}

	@Test
	void clientCallOutcomesNameTheFailure() {
		assertThat(ErlangNodeMetrics.callOutcome(null)).isEqualTo("return");
		assertThat(ErlangNodeMetrics.callOutcome(new ErlangRemoteException(ErlangClass.EXIT, new OtpErlangAtom("x"), null)))
			.isEqualTo("exit");
		assertThat(ErlangNodeMetrics.callOutcome(new ErlangTimeoutException("t"))).isEqualTo("timeout");
		assertThat(ErlangNodeMetrics.callOutcome(new ErlangNodeDownException("a@h", "down"))).isEqualTo("nodedown");
	}

	@Test
	void handledMessagesAndStateOperationsAreTaggedWithTheirWords() {
		this.metrics.messageHandled("p", MessageKind.CAST, Result.UNMATCHED, 5);
		this.metrics.stateOperation("local", "get", Result.OK, 5);
		assertThat(this.registry.get("erlang.process.handling")
			.tags("process", "p", "kind", "cast", "outcome", "unmatched")
			.timer()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("erlang.state.operations")
			.tags("backend", "local", "operation", "get", "outcome", "ok")
			.timer()
			.count()).isEqualTo(1);
	}

}
