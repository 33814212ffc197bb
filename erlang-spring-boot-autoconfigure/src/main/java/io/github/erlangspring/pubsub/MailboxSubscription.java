package io.github.erlangspring.pubsub;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.node.ErlangExitException;
import io.github.erlangspring.node.GenMessage;
import io.github.erlangspring.node.GenResult;
import io.github.erlangspring.node.GenServer;
import io.github.erlangspring.node.GenServerProcess;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.dist.BoundedTerms;

/**
 * A subscriber: a process of its own joined to the topic's group: either spawned on the node's
 * scheduler, handing its messages to a listener (no thread of its own), or, for
 * {@link PubSubOperations#receive}, a plain mailbox (callers take its messages).
 */
final class MailboxSubscription implements Subscription {

	private static final Logger logger = LoggerFactory.getLogger(MailboxSubscription.class);

	static final OtpErlangAtom PUBSUB = new OtpErlangAtom("pubsub");

	private final Object topic;

	private final OtpErlangObject group;

	private final PgScope scope;

	private final Mailbox mailbox;

	private final ErlangConverter converter;

	private final PubSubListener listener;

	private final Consumer<MailboxSubscription> onClose;

	private final AtomicLong delivered = new AtomicLong();

	private final AtomicBoolean closed = new AtomicBoolean();

	private MailboxSubscription(Object topic, OtpErlangObject group, PgScope scope, ErlangConverter converter,
			PubSubListener listener, Consumer<MailboxSubscription> onClose) {
		this.topic = topic;
		this.group = group;
		this.scope = scope;
		this.converter = converter;
		this.listener = listener;
		this.onClose = onClose;
		this.mailbox = (listener != null) ? scope.node().spawn(new GenServerProcess(new Listening())) : scope.node().createMailbox();
	}

	/** Joins the group and starts handing messages to {@code listener}, or keeps them for {@link #poll}. */
	static MailboxSubscription start(Object topic, OtpErlangObject group, PgScope scope, ErlangConverter converter,
			PubSubListener listener, Consumer<MailboxSubscription> onClose) {
		MailboxSubscription subscription = new MailboxSubscription(topic, group, scope, converter, listener, onClose);
		try {
			scope.join(group, subscription.mailbox.self());
		}
		catch (RuntimeException ex) {
			subscription.mailbox.close();
			throw ex;
		}
		return subscription;
	}

	OtpErlangObject group() {
		return this.group;
	}

	@Override
	public Object topic() {
		return this.topic;
	}

	@Override
	public OtpErlangPid pid() {
		return this.mailbox.self();
	}

	@Override
	public long deliveredMessages() {
		return this.delivered.get();
	}

	@Override
	public boolean isActive() {
		return !this.closed.get() && this.mailbox.isAlive();
	}

	/** The next message, waiting up to {@code timeout}; {@code null} when none came or closed. */
	PubSubMessage poll(Duration timeout) throws InterruptedException {
		try {
			OtpErlangObject next = this.mailbox.receive(timeout);
			if (next == null) {
				return null;
			}
			this.delivered.incrementAndGet();
			this.scope.node().observer().delivered(this.scope.name());
			return message(next);
		}
		catch (ErlangExitException ex) {
			ended();
			return null;
		}
	}

	/**
	 * Hands each message to the listener, on the node's scheduler (no thread of its own), as a
	 * {@code gen_server} ({@link GenServerProcess}) so that {@code sys:get_state} and
	 * {@code sys:get_status} work on a subscriber. Whatever else arrives, a call or a cast too,
	 * is a message for the listener, as it arrived. A listener's exception is logged and the
	 * subscription goes on; an {@code Error} ends it (it leaves its group) instead of leaving a
	 * deaf mailbox.
	 */
	private final class Listening implements GenServer {

		@Override
		public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) {
			deliver(new OtpErlangTuple(new OtpErlangObject[] { GenMessage.GEN_CALL, from.term(), request }));
			return GenResult.noReply();
		}

		@Override
		public GenResult.Async handleCast(Mailbox self, OtpErlangObject request) {
			deliver(new OtpErlangTuple(new OtpErlangObject[] { GenMessage.GEN_CAST, request }));
			return GenResult.noReply();
		}

		@Override
		public GenResult.Async handleInfo(Mailbox self, OtpErlangObject message) {
			deliver(message);
			return GenResult.noReply();
		}

		private void deliver(OtpErlangObject next) {
			MailboxSubscription subscription = MailboxSubscription.this;
			try {
				PubSubMessage message = message(next);
				subscription.delivered.incrementAndGet();
				subscription.scope.node().observer().delivered(subscription.scope.name());
				subscription.listener.onMessage(message);
			}
			catch (Exception ex) {
				logger.error("Subscriber of {} in pg scope {} failed on {}", subscription.group,
						subscription.scope.name(), BoundedTerms.describe(next), ex);
			}
			catch (Error ex) {
				logger.error("Subscriber of {} in pg scope {} crashed; it leaves the group", subscription.group,
						subscription.scope.name(), ex);
				try {
					close();
				}
				catch (Throwable closing) {
					ended();
				}
			}
		}

		@Override
		public void terminate(Mailbox self, OtpErlangObject reason) {
			ended();
		}

		/** {@code #{scope => Scope, group => Group, delivered => Count}} */
		@Override
		public OtpErlangObject systemState() {
			MailboxSubscription subscription = MailboxSubscription.this;
			return new OtpErlangMap(
					new OtpErlangObject[] { new OtpErlangAtom("scope"), new OtpErlangAtom("group"),
							new OtpErlangAtom("delivered") },
					new OtpErlangObject[] { new OtpErlangAtom(subscription.scope.name()), subscription.group,
							new OtpErlangLong(subscription.delivered.get()) });
		}

	}

	private PubSubMessage message(OtpErlangObject received) {
		if (received instanceof OtpErlangTuple tuple && tuple.arity() == 3 && PUBSUB.equals(tuple.elementAt(0))) {
			OtpErlangObject topicTerm = tuple.elementAt(1);
			Object javaTopic = topicTerm.equals(this.group) ? this.topic : this.converter.fromErlang(topicTerm);
			return new PubSubMessage(javaTopic, topicTerm, tuple.elementAt(2), this.converter);
		}
		return new PubSubMessage(this.topic, this.group, received, this.converter);
	}

	/** The process ended without {@link #close()} (e.g. an exit signal): the scope saw it go. */
	private void ended() {
		if (this.closed.compareAndSet(false, true)) {
			this.onClose.accept(this);
		}
	}

	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		try {
			if (this.scope.isRunning()) {
				this.scope.leave(this.group, this.mailbox.self());
			}
		}
		catch (IllegalStateException ex) {
			// the scope stopped meanwhile: its peers dropped every member of this node already
		}
		this.mailbox.close();
		this.onClose.accept(this);
	}

	@Override
	public String toString() {
		return "Subscription[" + this.scope.name() + "/" + this.group + " " + this.mailbox.self()
				+ (isActive() ? "" : ", closed") + "]";
	}

}
