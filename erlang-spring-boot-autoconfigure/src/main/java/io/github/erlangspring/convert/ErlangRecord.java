package io.github.erlangspring.convert;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Maps a Java record (or a class with a canonical constructor) to an Erlang tagged tuple instead
 * of a map: {@code @ErlangRecord("user") record User(String name, String email)} is
 * {@code {user, Name, Email}}, components in declaration order, as an Erlang {@code -record}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(ErlangRecordReflectiveProcessor.class)
public @interface ErlangRecord {

	/** @return the tag: the tuple's first element (an atom) */
	String value();

}
