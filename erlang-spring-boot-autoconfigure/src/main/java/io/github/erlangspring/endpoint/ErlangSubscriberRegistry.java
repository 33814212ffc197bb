package io.github.erlangspring.endpoint;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.erlangspring.annotation.ErlangSubscribe;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.handler.ErlangErrorHandler;
import io.github.erlangspring.handler.HandlerMethod;
import io.github.erlangspring.handler.SubscriberMethod;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.pubsub.PubSubScopes;
import io.github.erlangspring.pubsub.Subscription;

import org.springframework.context.SmartLifecycle;

/**
 * Owns the {@link ErlangSubscribe} subscribers: filled by {@link ErlangAnnotationBeanPostProcessor},
 * they join their topics when the context starts and leave when it stops, in the same phase as
 * the {@link ErlangEndpointRegistry}.
 */
public class ErlangSubscriberRegistry implements SmartLifecycle {

	private record Registration(PubSubOperations pubSub, String topic, SubscriberMethod listener) {
	}

	private final PubSubScopes scopes;

	private final ErlangConverter converter;

	private final ErlangErrorHandler errorHandler;

	private final List<Registration> registrations = new CopyOnWriteArrayList<>();

	private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	/**
	 * @param scopes the scopes the topics belong to
	 * @param converter converts messages to the methods' parameters
	 * @param errorHandler what to do when a method throws ({@code null}: log it)
	 */
	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	/** @param observations observes every delivery to a subscriber method (set before they are registered) */
	public void setObservations(ErlangObservations observations) {
		this.observations = observations;
	}

	public ErlangSubscriberRegistry(PubSubScopes scopes, ErlangConverter converter, ErlangErrorHandler errorHandler) {
		this.scopes = scopes;
		this.converter = converter;
		this.errorHandler = (errorHandler != null) ? errorHandler : ErlangErrorHandler.RETHROW;
	}

	/**
	 * Adds a subscriber method.
	 * @param scope the scope, empty for the default one
	 * @param topic the topic (a binary on the Erlang side)
	 * @param bean the bean
	 * @param method the method to invoke
	 * @throws IllegalStateException when the scope is not run by this node or the method's
	 * parameters do not fit
	 */
	public void registerSubscriber(String scope, String topic, Object bean, Method method) {
		PubSubOperations pubSub;
		try {
			pubSub = (scope == null || scope.isEmpty()) ? this.scopes.template() : this.scopes.template(scope);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("@ErlangSubscribe on " + HandlerMethod.describe(method) + ": "
					+ ex.getMessage(), ex);
		}
		if (topic == null || topic.isEmpty()) {
			throw new IllegalStateException("@ErlangSubscribe on " + HandlerMethod.describe(method) + " has an empty topic");
		}
		SubscriberMethod listener = new SubscriberMethod(bean, method, "@ErlangSubscribe(" + pubSub.scope() + "/" + topic
				+ ")", this.converter, this.errorHandler);
		listener.setObservations(this.observations);
		Registration registration = new Registration(pubSub, topic, listener);
		this.registrations.add(registration);
		if (this.running) {
			subscribe(registration);
		}
	}

	private void subscribe(Registration registration) {
		this.subscriptions.add(registration.pubSub().subscribe(registration.topic(), registration.listener()));
	}

	/** @return the running subscriptions, one per topic of each method */
	public List<Subscription> getSubscriptions() {
		return new ArrayList<>(this.subscriptions);
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		for (Registration registration : this.registrations) {
			subscribe(registration);
		}
		this.running = true;
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.subscriptions.forEach(Subscription::close);
		this.subscriptions.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return ErlangEndpointRegistry.PHASE;
	}

}
