package io.github.erlangspring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;

/**
 * AOT hints for a handler method ({@link ErlangRpc}, {@link HandleCall}, {@link HandleCast},
 * {@link HandleInfo}, {@link ErlangSubscribe}): the method is invoked reflectively, and the
 * converter binds its parameters and return value (records, beans, collections of them) from and
 * to Erlang terms, so those types get binding hints.
 */
public class ErlangHandlerReflectiveProcessor extends SimpleReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	protected void registerMethodHint(ReflectionHints hints, Method method) {
		super.registerMethodHint(hints, method);
		List<Type> types = new ArrayList<>(List.of(method.getGenericParameterTypes()));
		types.add(method.getGenericReturnType());
		this.bindingRegistrar.registerReflectionHints(hints, types.toArray(Type[]::new));
	}

}
