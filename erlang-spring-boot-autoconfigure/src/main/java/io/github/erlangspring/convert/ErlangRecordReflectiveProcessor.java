package io.github.erlangspring.convert;

import java.lang.reflect.AnnotatedElement;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.ReflectiveProcessor;

/**
 * AOT hints for an {@link ErlangRecord} type: the converter builds and reads it reflectively
 * (constructor, record components or properties), so it gets binding hints. Applies where the type
 * is found, e.g. with {@code @ReflectiveScan}; handler parameters get them anyway.
 */
public class ErlangRecordReflectiveProcessor implements ReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	public void registerReflectionHints(ReflectionHints hints, AnnotatedElement element) {
		if (element instanceof Class<?> type) {
			this.bindingRegistrar.registerReflectionHints(hints, type);
		}
	}

}
