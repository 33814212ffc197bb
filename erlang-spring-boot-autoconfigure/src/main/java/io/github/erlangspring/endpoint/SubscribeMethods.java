package io.github.erlangspring.endpoint;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.github.erlangspring.annotation.ErlangSubscribe;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link ErlangSubscribe} methods for {@link ErlangAnnotationBeanPostProcessor} and hands
 * them to the {@link ErlangSubscriberRegistry}.
 */
final class SubscribeMethods {

	private SubscribeMethods() {
	}

	static Map<Method, ErlangSubscribe> find(Class<?> type) {
		return MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<ErlangSubscribe>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ErlangSubscribe.class));
	}

	static boolean present(Class<?> type) {
		return !find(type).isEmpty();
	}

	/**
	 * @throws IllegalStateException when there are subscriber methods but no registry, or one
	 * does not fit
	 */
	static void register(ConfigurableBeanFactory beanFactory, Object bean, Class<?> type,
			UnaryOperator<String> resolver) {
		Map<Method, ErlangSubscribe> methods = find(type);
		if (methods.isEmpty()) {
			return;
		}
		ErlangSubscriberRegistry registry = (beanFactory != null)
				? beanFactory.getBeanProvider(ErlangSubscriberRegistry.class).getIfAvailable() : null;
		if (registry == null) {
			throw new IllegalStateException("@ErlangSubscribe needs publish/subscribe, but there is no "
					+ "ErlangSubscriberRegistry bean (is erlang.pubsub.enabled=false, or erlang.node unset?)");
		}
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			String scope = resolver.apply(annotation.scope());
			for (String topic : annotation.value()) {
				registry.registerSubscriber(scope, resolver.apply(topic), bean, invocable);
			}
		});
	}

}
