package io.github.erlangspring.pubsub;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.ericsson.otp.erlang.OtpErlangPid;

/**
 * Publish/subscribe across the Java and Erlang nodes of a cluster, on Erlang's {@code pg}: a
 * topic is a pg group of one scope ({@link #scope()}), a subscriber is a member of that group,
 * and publishing sends {@code {pubsub, Topic, Message}} to every member on every node, which is
 * what Erlang code using pg does too:
 * <pre class="code">
 * %% Erlang: subscribe, and publish to Java and Erlang subscribers alike
 * pg:join(pg, &lt;&lt;"orders"&gt;&gt;, self()),
 * [P ! {pubsub, &lt;&lt;"orders"&gt;&gt;, Msg} || P &lt;- pg:get_members(pg, &lt;&lt;"orders"&gt;&gt;)].
 * </pre>
 * <pre class="code">
 * // Java: the same topic
 * Subscription s = pubSub.subscribe("orders", (message) -&gt; handle(message.payload(Order.class)));
 * int reached = pubSub.publish("orders", new Order(42));
 * </pre>
 * Implemented by {@link PubSubTemplate}.
 * <p>
 * <b>Topics</b> are terms: a {@code String} becomes a binary ({@code <<"orders">>}), an
 * {@link io.github.erlangspring.convert.Atom} an atom, and so on through the
 * {@link io.github.erlangspring.convert.ErlangConverter}; raw JInterface terms pass unchanged.
 * <b>Messages</b> are converted the same way.
 * <p>
 * <b>Delivery</b> is Erlang's: each subscriber has its own pid and mailbox, messages from one
 * publisher to one subscriber arrive in the order sent, nothing is acknowledged or stored, and a
 * subscriber that joins after a publish does not see it. Listeners run on the node's
 * scheduler (a subscription owns no thread), one message at a time, never on a network thread.
 * <p>
 * <b>Membership</b> is pg's: eventually consistent, and a node sees the members of the nodes it
 * is connected to. A subscriber whose process ends, whose node stops or disconnects, leaves
 * every group at once.
 */
public interface PubSubOperations {

	/** @return the pg scope the topics belong to, e.g. {@code pg} */
	String scope();

	/**
	 * Sends {@code {pubsub, Topic, Message}} to every member of the topic on every node, Java
	 * and Erlang.
	 * @param topic the topic (converted)
	 * @param message the message (converted)
	 * @return the number of members it was sent to
	 */
	int publish(Object topic, Object message);

	/**
	 * Subscribes a listener: a new process of this node joins the topic and hands every message it
	 * receives to the listener, in order, on the node's scheduler. Erlang sees the process in
	 * {@code pg:get_members/2} as soon as this returns (once the membership has reached it).
	 * @param topic the topic (converted)
	 * @param listener what to do with each message; an exception it throws is logged and the
	 * subscription goes on
	 * @return the subscription, to {@link Subscription#close() close} when done
	 */
	Subscription subscribe(Object topic, PubSubListener listener);

	/**
	 * Ends every subscription of this template to a topic, including the one
	 * {@link #receive(Object, Duration)} uses.
	 * @param topic the topic
	 * @return how many subscriptions ended
	 */
	int unsubscribe(Object topic);

	/**
	 * Takes the next message of a topic, waiting up to {@code timeout}: the pull style of
	 * subscribing. The first call for a topic subscribes (a process joins it) and the subscription
	 * stays, keeping messages for later calls, until {@link #unsubscribe(Object)}; so messages
	 * published before the first call are not seen, those between calls are.
	 * @param topic the topic
	 * @param timeout how long to wait
	 * @return the message, or {@code null} when none arrived in time (or the thread was
	 * interrupted, whose interrupt flag is then set)
	 */
	PubSubMessage receive(Object topic, Duration timeout);

	/**
	 * The subscribers of a topic on all nodes, as {@code pg:get_members(Scope, Topic)}.
	 * @param topic the topic
	 * @return their pids, a pid once per join; empty when there are none
	 */
	List<OtpErlangPid> members(Object topic);

	/**
	 * The subscribers of a topic on this node, as {@code pg:get_local_members(Scope, Topic)}.
	 * @param topic the topic
	 * @return their pids
	 */
	List<OtpErlangPid> localMembers(Object topic);

	/**
	 * The topics with at least one subscriber anywhere, as {@code pg:which_groups(Scope)},
	 * converted naturally (binaries to {@code String}, atoms to
	 * {@link io.github.erlangspring.convert.Atom}, ...).
	 * @return the topics
	 */
	Set<Object> topics();

	/**
	 * Makes a process of this node a subscriber, e.g. the mailbox of an
	 * {@link io.github.erlangspring.annotation.ErlangProcess} whose {@code @HandleInfo("pubsub")}
	 * method then takes {@code (topic, message)}.
	 * @param topic the topic
	 * @param pid a process of this node
	 * @throws IllegalArgumentException when the pid is not of this node
	 */
	void join(Object topic, OtpErlangPid pid);

	/**
	 * Undoes one {@link #join(Object, OtpErlangPid)}.
	 * @param topic the topic
	 * @param pid a process of this node
	 * @return whether it was a subscriber
	 */
	boolean leave(Object topic, OtpErlangPid pid);

}
