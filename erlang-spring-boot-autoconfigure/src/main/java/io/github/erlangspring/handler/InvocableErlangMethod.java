package io.github.erlangspring.handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import org.springframework.util.ReflectionUtils;

/**
 * A bean's method as Erlang-facing code invokes it: the one reflective path shared by
 * {@link RpcMethod}, {@link HandlerMethod} and {@link SubscriberMethod}, and the one place where
 * a failure is offered to the {@link ErlangErrorHandler}.
 */
final class InvocableErlangMethod {

	private final Object bean;

	private final Method method;

	InvocableErlangMethod(Object bean, Method method) {
		this.bean = bean;
		this.method = method;
		ReflectionUtils.makeAccessible(method);
	}

	Method method() {
		return this.method;
	}

	boolean isVoid() {
		return this.method.getReturnType() == void.class;
	}

	/**
	 * Invokes the method.
	 * @param args the arguments
	 * @return what it returned
	 * @throws Exception what the method threw; an {@link Error} it threw is rethrown as is (not a
	 * handler's failure to recover from)
	 */
	Object invoke(Object... args) throws Exception {
		try {
			return this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			if (ex.getCause() instanceof Exception cause) {
				throw cause;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

	/**
	 * Invokes the method; when it throws an exception, the error handler decides the result.
	 * @param errorHandler what handles a failure: its value is the result, or it throws
	 * @param invocation what was invoked, for the error handler
	 * @param args the arguments
	 * @return what the method, or the error handler, returned
	 * @throws Exception what the error handler threw
	 */
	Object invoke(ErlangErrorHandler errorHandler, ErlangInvocation invocation, Object... args) throws Exception {
		try {
			return invoke(args);
		}
		catch (Exception ex) {
			return errorHandler.handleError(invocation, ex);
		}
	}

	static String describe(Method method) {
		return method.getDeclaringClass().getSimpleName() + "." + method.getName();
	}

	@Override
	public String toString() {
		return describe(this.method);
	}

}
