package io.github.erlangspring.endpoint;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.ErlangSubscribe;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link ErlangProcess} beans and {@link ErlangRpc} methods and, once all singletons
 * exist, registers them with the {@link ErlangEndpointRegistry} ({@link ErlangSubscribe} methods
 * with the {@link ErlangSubscriberRegistry}). It only collects; the registries run them.
 */
public class ErlangAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private record Found(Object bean, Class<?> type, String beanName) {
	}

	private final List<Found> found = new ArrayList<>();

	private ConfigurableBeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
		this.beanFactory = (beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopUtils.getTargetClass(bean);
		if (AnnotatedElementUtils.hasAnnotation(type, ErlangProcess.class) || hasRpcMethods(type)
				|| SubscribeMethods.present(type)) {
			synchronized (this.found) {
				this.found.add(new Found(bean, type, beanName));
			}
		}
		return bean;
	}

	private static boolean hasRpcMethods(Class<?> type) {
		return !MethodIntrospector
			.selectMethods(type,
					(MethodIntrospector.MetadataLookup<ErlangRpc>) (method) -> AnnotatedElementUtils
						.findMergedAnnotation(method, ErlangRpc.class))
			.isEmpty();
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<Found> beans;
		synchronized (this.found) {
			beans = new ArrayList<>(this.found);
			this.found.clear();
		}
		if (beans.isEmpty()) {
			return;
		}
		ErlangEndpointRegistry registry = this.beanFactory.getBean(ErlangEndpointRegistry.class);
		for (Found each : beans) {
			try {
				register(registry, each);
			}
			catch (IllegalStateException ex) {
				throw new BeanInitializationException("Invalid Erlang endpoint on bean '" + each.beanName() + "': "
						+ ex.getMessage(), ex);
			}
		}
	}

	private void register(ErlangEndpointRegistry registry, Found each) {
		ErlangProcess process = AnnotatedElementUtils.findMergedAnnotation(each.type(), ErlangProcess.class);
		if (process != null) {
			String concurrency = resolve(process.concurrency());
			int threads;
			try {
				threads = Integer.parseInt(concurrency.strip());
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException("@ErlangProcess concurrency '" + concurrency + "' is not a number");
			}
			registry.registerProcess(resolve(process.value()), threads, each.bean(), each.type());
		}
		ErlangRpc classLevel = AnnotatedElementUtils.findMergedAnnotation(each.type(), ErlangRpc.class);
		Map<Method, ErlangRpc> methods = MethodIntrospector.selectMethods(each.type(),
				(MethodIntrospector.MetadataLookup<ErlangRpc>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, ErlangRpc.class));
		methods.forEach((method, annotation) -> {
			String module = resolve(annotation.module());
			if (module.isEmpty() && classLevel != null) {
				module = resolve(classLevel.module());
			}
			if (module.isEmpty()) {
				module = snakeCase(each.type().getSimpleName());
			}
			String function = resolve(annotation.function());
			if (function.isEmpty()) {
				function = snakeCase(method.getName());
			}
			Method invocable = AopUtils.selectInvocableMethod(method, each.bean().getClass());
			registry.registerRpc(module, function, each.bean(), invocable);
		});
		SubscribeMethods.register(this.beanFactory, each.bean(), each.type(), this::resolve);
	}

	private String resolve(String value) {
		if (this.beanFactory == null || value == null) {
			return value;
		}
		String resolved = this.beanFactory.resolveEmbeddedValue(value);
		return (resolved != null) ? resolved : value;
	}

	/**
	 * {@code sayHello} is {@code say_hello}; {@code getHTTPStatus} is {@code get_http_status}.
	 * @param name a Java name
	 * @return the name in snake_case
	 */
	public static String snakeCase(String name) {
		StringBuilder out = new StringBuilder(name.length() + 4);
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (Character.isUpperCase(c)) {
				boolean afterLower = i > 0 && !Character.isUpperCase(name.charAt(i - 1)) && name.charAt(i - 1) != '_';
				boolean beforeLower = i > 0 && i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1))
						&& Character.isUpperCase(name.charAt(i - 1));
				if (afterLower || beforeLower) {
					out.append('_');
				}
				out.append(Character.toLowerCase(c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

}
