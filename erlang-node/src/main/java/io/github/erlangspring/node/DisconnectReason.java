package io.github.erlangspring.node;

import java.util.Locale;
import java.util.Objects;

/**
 * Why a connection to another node closed: a {@link Kind} to act on or count by, and a detail
 * for people.
 *
 * @param kind what happened
 * @param detail the words that go with it (the peer's name, the I/O error...); may be empty
 */
public record DisconnectReason(Kind kind, String detail) {

	public DisconnectReason {
		Objects.requireNonNull(kind, "kind");
		detail = (detail != null) ? detail : "";
	}

	/**
	 * @param kind what happened
	 * @return a reason without detail
	 */
	public static DisconnectReason of(Kind kind) {
		return new DisconnectReason(kind, "");
	}

	/** @return the kind and detail as one line, as logged and passed to node listeners */
	@Override
	public String toString() {
		if (this.detail.isEmpty() || this.kind.text.isEmpty()) {
			return this.kind.text + this.detail;
		}
		return this.kind.text + this.kind.separator + this.detail;
	}

	/** What closed a connection. */
	public enum Kind {

		/** The peer sent nothing for the whole {@code net_ticktime}. */
		TICK_TIMEOUT("net_tick_timeout", ": "),

		/** The peer sent a frame this node rejects. */
		PROTOCOL_VIOLATION("protocol violation", ": "),

		/** Reading failed: the peer closed the socket or the network broke. */
		CONNECTION_LOST("connection lost", " "),

		/** Writing to the peer failed. */
		WRITE_FAILED("write failed", ": "),

		/** The peer did not read for the whole send timeout and frames waited beyond it. */
		SEND_QUEUE_FULL("outbound queue full", " "),

		/** A newer connection from the same node took this one's place. */
		REPLACED("replaced by a new connection from the same node", " "),

		/** This node is stopping. */
		NODE_STOPPING("node stopping", " "),

		/** The socket was closed on this side while reading. */
		CLOSED("closed", " "),

		/** Anything else, such as no thread left to read on; the detail says what. */
		OTHER("", "");

		private final String text;

		private final String separator;

		private final String tag = name().toLowerCase(Locale.ROOT);

		Kind(String text, String separator) {
			this.text = text;
			this.separator = separator;
		}

		/** @return the kind as a lower-case word, e.g. {@code tick_timeout}: a metric tag value */
		public String tag() {
			return this.tag;
		}

	}

}
