package io.github.erlangspring.convert;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Maps a Java record or bean to an Elixir struct: {@code @ErlangStruct("Shop.Order") record
 * Order(long id, String item)} is written as {@code %Shop.Order{id: 1, item: "tea"}} (a map whose
 * {@code __struct__} key names the module, fields under atom keys), and reading it checks that a
 * struct it is given is of that module. A name that starts with an upper-case letter is an Elixir
 * alias and gets the {@code Elixir.} prefix its module atom has ({@code 'Elixir.Shop.Order'}); any
 * other is the module atom as written. Types without it read any map, struct or not, and are
 * written as plain maps.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ErlangStruct {

	/** @return the struct's module: an Elixir alias ({@code "Shop.Order"}) or a module atom */
	String value();

}
