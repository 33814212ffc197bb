package io.github.erlangspring.reliability;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangProperties;
import io.github.erlangspring.autoconfigure.actuate.ErlangEndpoint;
import io.github.erlangspring.autoconfigure.actuate.ErlangEndpointAutoConfiguration;
import io.github.erlangspring.autoconfigure.actuate.ErlangHealthContributorAutoConfiguration;
import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.node.ErlangException;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import io.github.erlangspring.autoconfigure.actuate.ErlangSanitizingAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A whole application's life with its cookie: start, a good peer, a peer with another cookie
 * refused both ways (it calls us, we call it, the connector keeps retrying it), the Actuator
 * endpoints, the health and the stop. Every log line (everything at DEBUG), every exception and
 * every endpoint's output is searched for either cookie.
 */
class CookieSecrecyTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@Test
	void theCookieIsNeverLoggedThrownOrShownAndAWrongOneIsRefusedBothWays() throws Exception {
		ErlangRuntime.ensureEpmd();
		ErlangPeer friend = erlang.start();
		ErlangPeer stranger = erlang.start();
		String cookie = friend.cookie();
		String javaNode = ErlangPeer.uniqueAlive("esb_rel_secret") + "@127.0.0.1";
		List<String> shown = new ArrayList<>();
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		Level rootLevel = root.getLevel();
		Logger ours = (Logger) LoggerFactory.getLogger("io.github.erlangspring");
		Level ourLevel = ours.getLevel();
		root.addAppender(appender);
		root.setLevel(Level.DEBUG);
		ours.setLevel(Level.DEBUG);
		try {
			AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("test",
						Map.of("erlang.node", javaNode, "erlang.cookie", cookie, "erlang.connect",
								friend.nodeName() + "," + stranger.nodeName(), "erlang.reconnect.initial-backoff",
								"100ms", "erlang.reconnect.max-backoff", "300ms", "management.endpoint.health.show-details",
								"always", "management.endpoint.health.show-components", "always",
								"management.endpoints.web.exposure.include", "*")));
			// even with values shown, the cookie is masked (ErlangSanitizingAutoConfiguration)
			context.getEnvironment()
				.getPropertySources()
				.addLast(new MapPropertySource("show-values", Map.of("management.endpoint.env.show-values", "always",
						"management.endpoint.configprops.show-values", "always")));
			context.registerBean(Secretive.class);
			context.register(AutoConfig.class);
			context.refresh();
			try {
				ErlangNode node = context.getBean(ErlangNode.class);
				ErlangOperations template = context.getBean(ErlangOperations.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> node.connectedNodes().contains(friend.nodeName()));
				assertThat(friend.eval("rpc:call(" + q(javaNode) + ", secretive, echo, [<<\"hi\">>]) =:= <<\"hi\">>"))
					.isEqualTo(atom("true"));
				assertThat(String.valueOf(template.rpc(friend.nodeName(), "erlang", "node"))).contains(friend.nodeName());

				// the stranger calls us, and we call it: refused both ways
				assertThat(stranger.eval("net_adm:ping(" + q(javaNode) + ")")).isEqualTo(atom("pang"));
				assertThat(stranger.eval("catch erpc:call(" + q(javaNode) + ", secretive, echo, [x], 2000)").toString())
					.contains("noconnection");
				assertThat(template.ping(stranger.nodeName())).isFalse();
				assertThatExceptionOfType(ErlangException.class)
					.isThrownBy(() -> template.rpc(stranger.nodeName(), "erlang", "node"))
					.satisfies((ex) -> shown.add(ThrowableProxyUtil.asString(new ch.qos.logback.classic.spi.ThrowableProxy(ex))));
				assertThat(node.connectedNodes()).doesNotContain(stranger.nodeName());

				shown.add(dump(context.getBean(EnvironmentEndpoint.class).environment(null)));
				shown.add(dump(context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties()));
				shown.add(dump(context.getBean(HealthEndpoint.class).health()));
				shown.add(dump(context.getBean(ErlangEndpoint.class).node()));
				shown.add(context.getBean(ErlangProperties.class).toString());
				shown.add(node.toString());
			}
			finally {
				context.close();
			}
		}
		finally {
			root.detachAppender(appender);
			root.setLevel(rootLevel);
			ours.setLevel(ourLevel);
		}
		for (ILoggingEvent event : List.copyOf(appender.list)) {
			shown.add(event.getFormattedMessage());
			if (event.getThrowableProxy() != null) {
				shown.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
			}
		}
		String everything = String.join("\n", shown);
		// what was searched is the real thing: the refusals were logged (both ways), the endpoints answered
		List<String> refusals = appender.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.filter((message) -> message.contains(stranger.nodeName()) && message.contains("cookie"))
			.toList();
		assertThat(refusals).as("logged refusals of the stranger")
			.anySatisfy((text) -> assertThat(text).contains("connection attempt from " + stranger.nodeName()))
			.anySatisfy((text) -> assertThat(text).doesNotContain("connection attempt from"));
		assertThat(everything).contains("erlang.cookie");
		assertThat(appender.list).hasSizeGreaterThan(100);
		assertThat(everything).doesNotContain(cookie).doesNotContain(stranger.cookie());
	}

	/**
	 * What an endpoint returns, written out as its JSON would be: records by their components,
	 * other objects by their getters, maps and collections by their elements.
	 */
	static String dump(Object value) {
		StringBuilder out = new StringBuilder();
		dump(value, out, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
		return out.toString();
	}

	private static void dump(Object value, StringBuilder out, Set<Object> seen, int depth) {
		if (value == null || depth > 20 || value instanceof CharSequence || value instanceof Number
				|| value instanceof Boolean || value instanceof Enum<?> || value.getClass().getName().startsWith("java.time")) {
			out.append(value).append(' ');
			return;
		}
		if (!seen.add(value)) {
			return;
		}
		if (value instanceof Map<?, ?> map) {
			map.forEach((k, v) -> {
				out.append(k).append('=');
				dump(v, out, seen, depth + 1);
			});
		}
		else if (value instanceof Iterable<?> iterable) {
			iterable.forEach((element) -> dump(element, out, seen, depth + 1));
		}
		else if (value.getClass().isArray()) {
			for (int i = 0; i < Array.getLength(value); i++) {
				dump(Array.get(value, i), out, seen, depth + 1);
			}
		}
		else if (value.getClass().isRecord()) {
			for (RecordComponent component : value.getClass().getRecordComponents()) {
				out.append(component.getName()).append('=');
				dump(invoke(component.getAccessor(), value), out, seen, depth + 1);
			}
		}
		else {
			boolean any = false;
			for (Method method : value.getClass().getMethods()) {
				if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
						&& (method.getName().startsWith("get") || method.getName().startsWith("is"))
						&& method.getDeclaringClass() != Object.class) {
					any = true;
					out.append(method.getName()).append('=');
					dump(invoke(method, value), out, seen, depth + 1);
				}
			}
			if (!any) {
				out.append(value).append(' ');
			}
		}
	}

	private static Object invoke(Method method, Object target) {
		try {
			method.setAccessible(true);
			return method.invoke(target);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return "<" + ex.getClass().getSimpleName() + ">";
		}
	}

	@ErlangRpc(module = "secretive")
	static class Secretive {

		@ErlangRpc
		String echo(String text) {
			return text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ErlangAutoConfiguration.class, ErlangSanitizingAutoConfiguration.class,
			EndpointAutoConfiguration.class,
			EnvironmentEndpointAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
			HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
			HealthEndpointAutoConfiguration.class, ErlangHealthContributorAutoConfiguration.class,
			ErlangEndpointAutoConfiguration.class })
	static class AutoConfig {

	}

}
