package io.github.erlangspring.pubsub;

import com.ericsson.otp.erlang.OtpErlangPid;

/**
 * A subscriber: a process of this node that is a member of a topic's pg group.
 */
public interface Subscription extends AutoCloseable {

	/** @return the topic as the subscriber gave it */
	Object topic();

	/** @return the subscriber's pid, as Erlang sees it in {@code pg:get_members/2} */
	OtpErlangPid pid();

	/** @return messages handed to the listener so far */
	long deliveredMessages();

	/** @return whether the subscription is still a member */
	boolean isActive();

	/**
	 * Leaves the topic (peers are told at once) and ends the process; messages not yet handed to
	 * the listener are dropped. Does nothing when already closed.
	 */
	@Override
	void close();

}
