package io.github.erlangspring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.github.erlangspring.handler.ErlangErrorHandler;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Subscribes a bean method to pub/sub topics: the messages Java or Erlang code publishes to
 * them ({@code {pubsub, Topic, Message}} sent to the topic's pg members) are handed to the
 * method, converted to its parameter.
 * <pre class="code">
 * &#64;Component
 * class Orders {
 *
 *     &#64;ErlangSubscribe("orders")
 *     void placed(Order order) { ... }                  // {pubsub, &lt;&lt;"orders"&gt;&gt;, #{id =&gt; 42, ...}}
 *
 *     &#64;ErlangSubscribe(value = "audit", scope = "ops")
 *     void audit(PubSubMessage message) { ... }         // topic and payload, unconverted
 * }
 * </pre>
 * The parameter binds as a {@link HandleInfo} method's single parameter does: an
 * {@link io.github.erlangspring.convert.ErlangRecord} record takes the tuples with its tag, another
 * type any message that converts to it, {@code Object} the message converted naturally,
 * {@code OtpErlangObject} the raw term. A message that does not bind is logged and dropped. A
 * {@link io.github.erlangspring.pubsub.PubSubMessage} parameter gets the whole message, and a
 * method may also take no parameter.
 * <p>
 * Each topic of each annotated method is its own subscriber (a process of the Java node, seen by
 * Erlang's {@code pg:get_members/2}), joined when the application context starts and leaving
 * when it stops. Its messages are handled one at a time, in arrival order, on the node's
 * scheduler (the subscriber owns no thread). What the method throws goes to the {@link ErlangErrorHandler} (kind {@code info});
 * if that rethrows, it is logged.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(ErlangHandlerReflectiveProcessor.class)
public @interface ErlangSubscribe {

	/**
	 * @return the topics; each is a binary on the Erlang side ({@code "orders"} is
	 * {@code <<"orders">>}); {@code ${...}} placeholders are resolved
	 */
	String[] value();

	/**
	 * @return the pg scope of the topics; empty for the default scope ({@code erlang.pubsub.scope});
	 * other scopes must be listed in {@code erlang.pubsub.scopes}; placeholders are resolved
	 */
	String scope() default "";

}
