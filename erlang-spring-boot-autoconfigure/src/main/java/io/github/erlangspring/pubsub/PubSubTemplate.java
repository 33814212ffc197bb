package io.github.erlangspring.pubsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.observation.ErlangInteraction;
import io.github.erlangspring.observation.ErlangObservations;

/**
 * {@link PubSubOperations} on one {@link PgScope}. Thread-safe. Closing the template ends the
 * subscriptions made through it; the scope itself keeps running.
 */
public class PubSubTemplate implements PubSubOperations, AutoCloseable {

	private final PgScope scope;

	private final ErlangConverter converter;

	private final Set<MailboxSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final Map<OtpErlangObject, MailboxSubscription> inboxes = new ConcurrentHashMap<>();

	/**
	 * @param scope the running scope whose groups are the topics
	 * @param converter converts topics and messages
	 */
	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	public PubSubTemplate(PgScope scope, ErlangConverter converter) {
		this.scope = Objects.requireNonNull(scope, "scope");
		this.converter = Objects.requireNonNull(converter, "converter");
	}

	/** @return the scope this template works on */
	public PgScope getPgScope() {
		return this.scope;
	}

	@Override
	public String scope() {
		return this.scope.name();
	}

	/** @param observations observes every publish */
	public void setObservations(ErlangObservations observations) {
		this.observations = Objects.requireNonNull(observations);
	}

	@Override
	public int publish(Object topic, Object message) {
		return this.observations.client(ErlangInteraction.PUBLISH, null, this.scope.name() + "/" + topic,
				() -> publishObserved(topic, message));
	}

	private int publishObserved(Object topic, Object message) {
		OtpErlangObject group = group(topic);
		OtpErlangTuple envelope = new OtpErlangTuple(
				new OtpErlangObject[] { MailboxSubscription.PUBSUB, group, this.converter.toErlang(message) });
		int sent = 0;
		// sends are asynchronous: one to a member whose node is gone is dropped, as Erlang drops it
		for (OtpErlangPid member : this.scope.members(group)) {
			this.scope.node().send(member, envelope);
			sent++;
		}
		this.scope.node().observer().published(this.scope.name(), sent);
		return sent;
	}

	@Override
	public Subscription subscribe(Object topic, PubSubListener listener) {
		Objects.requireNonNull(listener, "listener");
		MailboxSubscription subscription = MailboxSubscription.start(topic, group(topic), this.scope, this.converter,
				listener, this.subscriptions::remove);
		this.subscriptions.add(subscription);
		if (!subscription.isActive()) {
			this.subscriptions.remove(subscription);
		}
		return subscription;
	}

	@Override
	public int unsubscribe(Object topic) {
		OtpErlangObject group = group(topic);
		List<MailboxSubscription> ending = new ArrayList<>();
		for (MailboxSubscription subscription : this.subscriptions) {
			if (subscription.group().equals(group)) {
				ending.add(subscription);
			}
		}
		MailboxSubscription inbox = this.inboxes.remove(group);
		if (inbox != null) {
			ending.add(inbox);
		}
		ending.forEach(MailboxSubscription::close);
		return ending.size();
	}

	@Override
	public PubSubMessage receive(Object topic, Duration timeout) {
		OtpErlangObject group = group(topic);
		MailboxSubscription inbox = this.inboxes.computeIfAbsent(group,
				(key) -> MailboxSubscription.start(topic, key, this.scope, this.converter, null,
						(ended) -> this.inboxes.remove(key, ended)));
		try {
			return inbox.poll(timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	@Override
	public List<OtpErlangPid> members(Object topic) {
		return this.scope.members(group(topic));
	}

	@Override
	public List<OtpErlangPid> localMembers(Object topic) {
		return this.scope.localMembers(group(topic));
	}

	@Override
	public Set<Object> topics() {
		Set<Object> topics = new LinkedHashSet<>();
		for (OtpErlangObject group : this.scope.groups()) {
			topics.add(this.converter.fromErlang(group));
		}
		return topics;
	}

	@Override
	public void join(Object topic, OtpErlangPid pid) {
		this.scope.join(group(topic), pid);
	}

	@Override
	public boolean leave(Object topic, OtpErlangPid pid) {
		return this.scope.leave(group(topic), pid);
	}

	/** @return the subscriptions made through this template that are still active */
	public List<Subscription> getSubscriptions() {
		List<Subscription> all = new ArrayList<>(this.subscriptions);
		all.addAll(this.inboxes.values());
		return all;
	}

	private OtpErlangObject group(Object topic) {
		return this.converter.toErlang(Objects.requireNonNull(topic, "topic"));
	}

	/** Ends every subscription made through this template. */
	@Override
	public void close() {
		new ArrayList<>(this.subscriptions).forEach(MailboxSubscription::close);
		new ArrayList<>(this.inboxes.values()).forEach(MailboxSubscription::close);
		this.inboxes.clear();
	}

	@Override
	public String toString() {
		return "PubSubTemplate[" + this.scope + "]";
	}

}
