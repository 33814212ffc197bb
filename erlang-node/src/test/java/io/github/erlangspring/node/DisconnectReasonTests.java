package io.github.erlangspring.node;

import org.junit.jupiter.api.Test;

import io.github.erlangspring.node.DisconnectReason.Kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Close reasons are typed: a kind to count by and a detail in words; as text they read as the
 * engine always logged them, with one spelling of "node stopping".
 */
class DisconnectReasonTests {

	@Test
	void eachKindHasTheDocumentedTag() {
		assertThat(Kind.values()).extracting(Kind::tag)
			.containsExactly("tick_timeout", "protocol_violation", "connection_lost", "write_failed", "send_queue_full",
					"replaced", "node_stopping", "closed", "other");
	}

	@Test
	void readsAsTheKindFollowedByItsDetail() {
		assertThat(new DisconnectReason(Kind.TICK_TIMEOUT, "nothing received from a@h for PT60S"))
			.hasToString("net_tick_timeout: nothing received from a@h for PT60S");
		assertThat(new DisconnectReason(Kind.PROTOCOL_VIOLATION, "unexpected frame type 7"))
			.hasToString("protocol violation: unexpected frame type 7");
		assertThat(new DisconnectReason(Kind.CONNECTION_LOST, "(Connection reset)"))
			.hasToString("connection lost (Connection reset)");
		assertThat(new DisconnectReason(Kind.WRITE_FAILED, "Broken pipe")).hasToString("write failed: Broken pipe");
		assertThat(new DisconnectReason(Kind.SEND_QUEUE_FULL, "for PT5S: the peer is not reading"))
			.hasToString("outbound queue full for PT5S: the peer is not reading");
		assertThat(new DisconnectReason(Kind.OTHER, "reader failed: java.lang.StackOverflowError"))
			.hasToString("reader failed: java.lang.StackOverflowError");
	}

	@Test
	void withoutDetailReadsAsTheKindAlone() {
		assertThat(DisconnectReason.of(Kind.NODE_STOPPING)).hasToString("node stopping");
		assertThat(DisconnectReason.of(Kind.REPLACED)).hasToString("replaced by a new connection from the same node");
		assertThat(DisconnectReason.of(Kind.CLOSED)).hasToString("closed");
		assertThat(new DisconnectReason(Kind.CLOSED, null).detail()).isEmpty();
	}

	@Test
	void needsAKind() {
		assertThatNullPointerException().isThrownBy(() -> new DisconnectReason(null, "x"));
	}

}
