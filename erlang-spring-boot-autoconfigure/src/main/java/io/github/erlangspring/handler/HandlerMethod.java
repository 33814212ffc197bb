package io.github.erlangspring.handler;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.convert.ErlangConversionException;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.convert.ErlangRecord;

/**
 * One {@code @HandleCall}/{@code @HandleCast}/{@code @HandleInfo} method: how it matches a
 * message and how the message binds to its parameters.
 */
public final class HandlerMethod {

	/** How a handler matches, from most to least specific. */
	enum Rank {

		TAGGED, RECORD, TYPED, DEFAULT

	}

	private final InvocableErlangMethod invocable;

	private final Method method;

	private final String tag;

	private final Rank rank;

	private final List<Integer> argumentIndexes = new ArrayList<>();

	private final int callerIndex;

	private HandlerMethod(Object bean, Method method, String tag) {
		this.invocable = new InvocableErlangMethod(bean, method);
		this.method = method;
		int caller = -1;
		Parameter[] parameters = method.getParameters();
		for (int i = 0; i < parameters.length; i++) {
			if (parameters[i].getType() == ErlangCaller.class) {
				caller = i;
			}
			else {
				this.argumentIndexes.add(i);
			}
		}
		this.callerIndex = caller;
		Class<?> single = (this.argumentIndexes.size() == 1) ? parameters[this.argumentIndexes.get(0)].getType() : null;
		if (!tag.isEmpty()) {
			this.tag = tag;
			this.rank = Rank.TAGGED;
		}
		else if (single != null && single.isAnnotationPresent(ErlangRecord.class)) {
			this.tag = single.getAnnotation(ErlangRecord.class).value();
			this.rank = Rank.RECORD;
		}
		else if (single != null && single != Object.class && single != OtpErlangObject.class) {
			this.tag = null;
			this.rank = Rank.TYPED;
		}
		else if (this.argumentIndexes.size() <= 1) {
			this.tag = null;
			this.rank = Rank.DEFAULT;
		}
		else {
			throw new IllegalStateException(describe(method) + " takes " + this.argumentIndexes.size()
					+ " arguments but has no tag: only a tagged handler (e.g. @HandleCall(\"add\")) binds a tuple's "
					+ "elements to several parameters");
		}
	}

	static HandlerMethod of(Object bean, Method method, String tag) {
		return new HandlerMethod(bean, method, tag);
	}

	Rank rank() {
		return this.rank;
	}

	/** @return the Java method */
	public Method method() {
		return this.method;
	}

	/** @return whether the method replies later, through its {@link ErlangCaller}, rather than by returning */
	public boolean defersReply() {
		return this.callerIndex >= 0 && this.method.getReturnType() == void.class;
	}

	/** Handlers that would take the same messages have the same key. */
	String matchKey() {
		return switch (this.rank) {
			case TAGGED, RECORD -> "tag " + this.tag + "/" + this.argumentIndexes.size()
					+ ((this.rank == Rank.RECORD) ? " (record)" : "");
			case TYPED -> "type " + this.method.getParameters()[this.argumentIndexes.get(0)].getParameterizedType();
			case DEFAULT -> "default";
		};
	}

	/**
	 * Binds the message to the parameters.
	 * @return the Java arguments (the caller slot left empty), or {@code null} when this handler
	 * does not take the message
	 * @throws ErlangConversionException when the message matches by tag but an element does not
	 * convert
	 */
	Object[] bind(OtpErlangObject message, ErlangConverter converter) {
		Object[] args = new Object[this.method.getParameterCount()];
		switch (this.rank) {
			case TAGGED -> {
				OtpErlangObject[] elements = taggedElements(message);
				if (elements == null) {
					return null;
				}
				for (int i = 0; i < elements.length; i++) {
					args[this.argumentIndexes.get(i)] = convert(elements[i], this.argumentIndexes.get(i), converter);
				}
			}
			case RECORD -> {
				if (!(message instanceof OtpErlangTuple tuple) || tuple.arity() == 0
						|| !new OtpErlangAtom(this.tag).equals(tuple.elementAt(0))) {
					return null;
				}
				args[this.argumentIndexes.get(0)] = convert(message, this.argumentIndexes.get(0), converter);
			}
			case TYPED -> {
				try {
					args[this.argumentIndexes.get(0)] = convert(message, this.argumentIndexes.get(0), converter);
				}
				catch (ErlangConversionException ex) {
					return null;
				}
			}
			case DEFAULT -> {
				if (!this.argumentIndexes.isEmpty()) {
					int index = this.argumentIndexes.get(0);
					args[index] = (this.method.getParameterTypes()[index] == Object.class) ? converter.fromErlang(message)
							: message;
				}
			}
		}
		return args;
	}

	private OtpErlangObject[] taggedElements(OtpErlangObject message) {
		int arity = this.argumentIndexes.size();
		OtpErlangAtom atom = new OtpErlangAtom(this.tag);
		if (arity == 0 && atom.equals(message)) {
			return new OtpErlangObject[0];
		}
		if (message instanceof OtpErlangTuple tuple && tuple.arity() == arity + 1 && atom.equals(tuple.elementAt(0))) {
			OtpErlangObject[] elements = new OtpErlangObject[arity];
			System.arraycopy(tuple.elements(), 1, elements, 0, arity);
			return elements;
		}
		return null;
	}

	private Object convert(OtpErlangObject term, int index, ErlangConverter converter) {
		String name = this.method.getParameters()[index].getName();
		return converter.fromErlang(term, this.method.getGenericParameterTypes()[index], name);
	}

	/**
	 * Invokes the handler.
	 * @param args the arguments {@link ProcessHandlers#match matching} bound
	 * @param caller the caller of a call, or {@code null}
	 * @return what the method returned
	 * @throws Exception what the method threw
	 */
	public Object invoke(Object[] args, ErlangCaller caller) throws Exception {
		if (this.callerIndex >= 0) {
			args[this.callerIndex] = caller;
		}
		// an Error is not a handler's failure to recover from: the process crashes
		return this.invocable.invoke(args);
	}

	/**
	 * @param method a method
	 * @return {@code SimpleClassName.methodName}, for messages
	 */
	public static String describe(Method method) {
		return InvocableErlangMethod.describe(method);
	}


}
