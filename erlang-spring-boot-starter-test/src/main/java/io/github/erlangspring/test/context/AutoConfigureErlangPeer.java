package io.github.erlangspring.test.context;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the application context of a {@code @SpringBootTest} (or any Spring test) a real Erlang
 * peer node, as {@code @EmbeddedKafka} gives it a broker: before the context starts, an
 * {@code erl} node with a random cookie is started, the application's node gets a name unique to
 * the context ({@code erlang.node}), and an
 * {@link io.github.erlangspring.autoconfigure.ErlangConnectionDetails} bean names the peer as the
 * default peer and supplies the cookie. The peer is an
 * {@link io.github.erlangspring.test.ErlangPeer} bean (inject it to evaluate Erlang on it); it
 * stops when the context closes.
 * <p>
 * Test classes with the same attributes (and otherwise the same configuration) share one cached
 * context, and so one peer. Needs Erlang/OTP ({@code erl}) on the machine running the tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureErlangPeer {

	/**
	 * Prefix of the application node's name; a unique suffix and {@code @127.0.0.1} are added.
	 * @return the prefix
	 */
	String nodePrefix() default "app";

	/**
	 * Prefix of the peer's node name.
	 * @return the prefix
	 */
	String peerPrefix() default "peer";

	/**
	 * Directories with {@code .beam} files the peer loads code from ({@code erl -pa}).
	 * @return the directories
	 */
	String[] codePath() default {};

	/**
	 * Further arguments of {@code erl}, e.g. {@code {"-kernel", "start_pg", "true"}}.
	 * @return the arguments
	 */
	String[] args() default {};

	/**
	 * Whether the application connects to the peer at start-up and keeps the connection
	 * ({@code erlang.connect}).
	 * @return whether to connect
	 */
	boolean connect() default true;

}
