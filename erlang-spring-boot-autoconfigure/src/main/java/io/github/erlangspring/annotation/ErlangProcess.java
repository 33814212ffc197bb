package io.github.erlangspring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean a registered process of the Erlang node, which Erlang code can send to,
 * {@code gen_server:call} and {@code gen_server:cast}:
 * <pre class="code">
 * &#64;ErlangProcess("counter")
 * class Counter {
 *     private long value;
 *
 *     &#64;HandleCall("incr")  long incr() { return ++value; }          // gen_server:call(P, incr)
 *     &#64;HandleCall("add")   long add(long n) { return value += n; }  // gen_server:call(P, {add, N})
 *     &#64;HandleCast("reset") void reset() { value = 0; }              // gen_server:cast(P, reset)
 * }
 * </pre>
 * Messages are dispatched to {@link HandleCall}, {@link HandleCast} and {@link HandleInfo}
 * methods by their tag or by the type of their single parameter; see {@link HandleCall} for the
 * rules. A message no handler takes is logged and dropped (a call's caller gets an error).
 * <p>
 * The process starts with the application context and exits with reason {@code shutdown} when
 * it closes; Erlang can link to and monitor it. The process owns no thread: the node's scheduler
 * runs its handlers when it has messages, one message at a time in arrival order, as an Erlang
 * process would, unless {@link #concurrency()} allows more. It answers OTP's {@code sys} protocol
 * ({@code sys:get_state}, {@code get_status}, {@code suspend}, {@code resume}, ...; see
 * {@code docs/processes.md}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface ErlangProcess {

	/** @return the registered name; {@code ${...}} placeholders are resolved */
	String value();

	/**
	 * @return how many messages may be handled at once (default {@code "1"}: in order);
	 * placeholders are resolved
	 */
	String concurrency() default "1";

}
