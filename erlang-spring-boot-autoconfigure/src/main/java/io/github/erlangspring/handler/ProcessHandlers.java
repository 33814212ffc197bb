package io.github.erlangspring.handler;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangObject;

import io.github.erlangspring.convert.ErlangConverter;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The handlers of one kind (call, cast or info) of one
 * {@link io.github.erlangspring.annotation.ErlangProcess}, ordered from most to least specific,
 * checked for ambiguity when built.
 */
public final class ProcessHandlers {

	/** A handler and the arguments a message bound to. */
	public record Match(HandlerMethod handler, Object[] args) {
	}

	private final List<HandlerMethod> handlers;

	private ProcessHandlers(List<HandlerMethod> handlers) {
		this.handlers = handlers;
	}

	/**
	 * Collects a bean's handlers of one kind.
	 * @param bean the bean
	 * @param type the bean's user class
	 * @param kind the annotation marking the handlers of this kind
	 * @param processName the process name, for error messages
	 * @return the handlers
	 * @throws IllegalStateException when two handlers would take the same messages
	 */
	public static ProcessHandlers collect(Object bean, Class<?> type, Class<? extends java.lang.annotation.Annotation> kind,
			String processName) {
		List<HandlerMethod> found = new ArrayList<>();
		ReflectionUtils.doWithMethods(type, (method) -> {
			if (AnnotatedElementUtils.hasAnnotation(method, kind) && !method.isBridge()) {
				String tag = (String) org.springframework.core.annotation.AnnotationUtils
					.getValue(AnnotatedElementUtils.findMergedAnnotation(method, kind));
				found.add(HandlerMethod.of(bean, method, (tag != null) ? tag : ""));
			}
		});
		Map<String, Method> seen = new HashMap<>();
		for (HandlerMethod handler : found) {
			Method previous = seen.putIfAbsent(handler.matchKey(), handler.method());
			if (previous != null) {
				throw new IllegalStateException("Ambiguous @" + kind.getSimpleName() + " handlers in @ErlangProcess(\""
						+ processName + "\"): " + HandlerMethod.describe(previous) + " and "
						+ HandlerMethod.describe(handler.method()) + " both take " + handler.matchKey());
			}
		}
		found.sort(Comparator.comparing(HandlerMethod::rank));
		return new ProcessHandlers(List.copyOf(found));
	}

	/** @return whether there is no handler of this kind */
	public boolean isEmpty() {
		return this.handlers.isEmpty();
	}

	int size() {
		return this.handlers.size();
	}

	/**
	 * @param message the message
	 * @param converter binds the message to the handler's parameters
	 * @return the first handler taking the message, or {@code null}
	 */
	public Match match(OtpErlangObject message, ErlangConverter converter) {
		for (HandlerMethod handler : this.handlers) {
			Object[] args = handler.bind(message, converter);
			if (args != null) {
				return new Match(handler, args);
			}
		}
		return null;
	}

}
