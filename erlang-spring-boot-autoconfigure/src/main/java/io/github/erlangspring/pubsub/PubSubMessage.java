package io.github.erlangspring.pubsub;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.convert.ErlangConverter;

/**
 * A message a subscriber received. Published messages arrive as {@code {pubsub, Topic, Message}};
 * anything else sent to the subscriber's pid arrives whole as the payload, under the subscribed
 * topic.
 */
public final class PubSubMessage {

	private final Object topic;

	private final OtpErlangObject topicTerm;

	private final OtpErlangObject payloadTerm;

	private final ErlangConverter converter;

	PubSubMessage(Object topic, OtpErlangObject topicTerm, OtpErlangObject payloadTerm, ErlangConverter converter) {
		this.topic = topic;
		this.topicTerm = topicTerm;
		this.payloadTerm = payloadTerm;
		this.converter = converter;
	}

	/** @return the topic, converted naturally (a binary topic is a {@code String}) */
	public Object topic() {
		return this.topic;
	}

	/** @return the topic as the term it is in Erlang */
	public OtpErlangObject topicTerm() {
		return this.topicTerm;
	}

	/** @return the message as a term */
	public OtpErlangObject payloadTerm() {
		return this.payloadTerm;
	}

	/**
	 * @return the message converted naturally
	 * ({@link ErlangConverter#fromErlang(OtpErlangObject)})
	 */
	public Object payload() {
		return this.converter.fromErlang(this.payloadTerm);
	}

	/**
	 * @param type the type to convert to
	 * @return the message converted to {@code type}
	 * @throws io.github.erlangspring.convert.ErlangConversionException when it does not fit
	 */
	public <T> T payload(Class<T> type) {
		return this.converter.fromErlang(this.payloadTerm, type);
	}

	@Override
	public String toString() {
		return "PubSubMessage[topic=" + this.topicTerm + ", payload=" + this.payloadTerm + "]";
	}

}
