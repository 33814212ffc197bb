package io.github.erlangspring.handler;

import java.lang.reflect.Method;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.node.dist.BoundedTerms;
import io.github.erlangspring.observation.ErlangInteraction;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.pubsub.PubSubListener;
import io.github.erlangspring.pubsub.PubSubMessage;

/**
 * An {@link io.github.erlangspring.annotation.ErlangSubscribe} method as a {@link PubSubListener}:
 * binds the payload as a {@link io.github.erlangspring.annotation.HandleInfo} method's parameter,
 * or passes the whole {@link PubSubMessage}.
 */
public final class SubscriberMethod implements PubSubListener {

	private static final Logger logger = LoggerFactory.getLogger(SubscriberMethod.class);

	private final Method method;

	private final String target;

	private final HandlerMethod handler;

	/** Set when the method takes the whole {@link PubSubMessage}. */
	private final InvocableErlangMethod whole;

	private final ErlangConverter converter;

	private final ErlangErrorHandler errorHandler;

	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	/**
	 * @param bean the bean
	 * @param method the method
	 * @param target what it subscribes to, for logs, observations and the error handler
	 * @param converter converts the payload to the parameter
	 * @param errorHandler what handles a failure
	 * @throws IllegalStateException when the method's parameters do not fit
	 */
	public SubscriberMethod(Object bean, Method method, String target, ErlangConverter converter,
			ErlangErrorHandler errorHandler) {
		this.method = method;
		this.target = target;
		this.converter = converter;
		this.errorHandler = errorHandler;
		Class<?>[] types = method.getParameterTypes();
		if (types.length > 1) {
			throw new IllegalStateException("@ErlangSubscribe method " + HandlerMethod.describe(method) + " takes "
					+ types.length + " parameters; it takes the message (converted to the parameter's type), "
					+ "a PubSubMessage, or nothing");
		}
		if (types.length == 1 && types[0] == ErlangCaller.class) {
			throw new IllegalStateException("@ErlangSubscribe method " + HandlerMethod.describe(method)
					+ " takes an ErlangCaller, but published messages have no caller");
		}
		this.whole = (types.length == 1 && types[0] == PubSubMessage.class) ? new InvocableErlangMethod(bean, method)
				: null;
		this.handler = (this.whole != null) ? null : HandlerMethod.of(bean, method, "");
	}

	/** @param observations observes each delivery */
	public void setObservations(ErlangObservations observations) {
		this.observations = observations;
	}

	@Override
	public void onMessage(PubSubMessage message) {
		try {
			this.observations.server(ErlangInteraction.DELIVERY, null, this.target, () -> {
				deliver(message);
				return null;
			});
		}
		catch (Exception ex) {
			// deliver handles its failures
			throw new IllegalStateException(ex);
		}
	}

	private void deliver(PubSubMessage message) {
		ErlangInvocation invocation = new ErlangInvocation(this.target, ErlangInvocation.Kind.INFO, message.payloadTerm(), this.method);
		try {
			if (this.whole != null) {
				this.whole.invoke(message);
				return;
			}
			Object[] args = this.handler.bind(message.payloadTerm(), this.converter);
			if (args == null) {
				logger.warn("{} dropped a message its parameter does not take: {}", this.target,
						BoundedTerms.describe(message.payloadTerm()));
				return;
			}
			this.handler.invoke(args, null);
		}
		catch (Exception ex) {
			this.observations.serverError(ex);
			try {
				this.errorHandler.handleError(invocation, ex);
			}
			catch (Exception unhandled) {
				logger.error("{} failed handling {}", this.target, BoundedTerms.describe(message.payloadTerm()), unhandled);
			}
		}
	}

	@Override
	public String toString() {
		return this.target + " -> " + HandlerMethod.describe(this.method);
	}

}
