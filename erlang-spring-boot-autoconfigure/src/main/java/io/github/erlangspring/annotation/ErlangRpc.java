package io.github.erlangspring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Exposes bean methods to Erlang's {@code rpc:call}, {@code erpc:call}, {@code rpc:cast},
 * {@code rpc:multicall} and {@code rpc:block_call}, as functions of an Erlang module:
 * <pre class="code">
 * &#64;Component
 * &#64;ErlangRpc(module = "greeter")
 * class Greeter {
 *     &#64;ErlangRpc String hello(String name) { return "Hello, " + name + "!"; }
 * }
 * // Erlang: rpc:call('app@host', greeter, hello, [&lt;&lt;"World"&gt;&gt;]) -&gt; &lt;&lt;"Hello, World!"&gt;&gt;
 * </pre>
 * On a class it sets the module of its annotated methods; on a method it exposes the method.
 * The function name defaults to the method name in snake_case ({@code sayHello} is
 * {@code say_hello}), the arity is the number of parameters, the module defaults to the class's
 * annotation, else the class name in snake_case. Attributes accept {@code ${...}} placeholders.
 * <p>
 * Arguments are converted to the parameter types; one that does not convert fails the call
 * with {@code error:{badarg, #{argument => N, reason => <<"...">>}}}. An exception thrown by the
 * method reaches the caller as {@code error:{'java.class.Name', <<"message">>}} with the Java
 * frames as stacktrace (throw {@link io.github.erlangspring.node.ErlangRaiseException} to raise
 * an exact Erlang exception). A function nobody exposes is {@code undef}, as on any Erlang node.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(ErlangHandlerReflectiveProcessor.class)
public @interface ErlangRpc {

	/** @return the module (on a class: for all its methods) */
	String module() default "";

	/** @return the function name (methods only); default: the method name in snake_case */
	String function() default "";

}
