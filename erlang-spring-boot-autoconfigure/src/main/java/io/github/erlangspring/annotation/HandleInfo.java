package io.github.erlangspring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.erlangspring.handler.ErlangCaller;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method of an {@link ErlangProcess} bean as the handler of a plain message (sent with {@code !}), neither call nor cast.
 * <p>
 * Matching, in this order:
 * <ol>
 * <li>With a tag ({@code @HandleInfo("add")}): the atom {@code add} (a method without arguments), or a
 * tuple {@code {add, A1, ..., An}} whose elements bind to the method's n parameters.</li>
 * <li>Without a tag, one parameter whose type is an {@link io.github.erlangspring.convert.ErlangRecord}
 * record: the tuple with that record's tag.</li>
 * <li>Without a tag, one parameter of another type: any message that converts to that type.</li>
 * <li>Without a tag, a parameter of type {@code Object} or {@code OtpErlangObject}, or no
 * parameter: the default handler, taking what nothing else took.</li>
 * </ol>
 * Two handlers that would take the same messages (same tag and arity, same parameter type, or
 * two defaults) are an error at start-up. An {@link ErlangCaller} parameter (calls only) is not
 * part of the match.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(ErlangHandlerReflectiveProcessor.class)
public @interface HandleInfo {

	/** @return the tag (an atom) this handler takes; empty: match by parameter type */
	String value() default "";

}
