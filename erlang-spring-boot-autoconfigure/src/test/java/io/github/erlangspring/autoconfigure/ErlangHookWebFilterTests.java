package io.github.erlangspring.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import io.github.erlangspring.web.ErlangHookFilter;
import io.github.erlangspring.web.ErlangHookWebFilter;
import io.github.erlangspring.web.HookFailureMode;
import io.github.erlangspring.web.Hooks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The WebFlux web hooks with hook functions registered with spring_bridge on a real Erlang node;
 * the exchanges are Spring's mock server exchanges, the Erlang side is real.
 */
class ErlangHookWebFilterTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	static ConfigurableApplicationContext context;

	static ErlangNode node;

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		peer = erlang.start();
		context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("erlang.node=" + ErlangPeer.uniqueAlive("esb_webflux") + "@127.0.0.1",
					"erlang.cookie=" + peer.cookie(), "erlang.default-peer=" + peer.nodeName(),
					"spring.main.banner-mode=off")
			.run();
		context.getBean(SpringBridgeLoader.class).load(peer.nodeName());
		node = context.getBean(ErlangNode.class);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ErlangAutoConfiguration.class, ErlangBridgeAutoConfiguration.class })
	static class App {

	}

	private static void register(String name, String fun) {
		assertThat(peer.eval("spring_bridge:register_function(" + name + ", " + fun + ")"))
			.isEqualTo(new OtpErlangAtom("ok"));
	}

	private static ErlangHookWebFilter filter(String onRequest, String onResponse, String onError,
			HookFailureMode mode) {
		return new ErlangHookWebFilter(node, peer.nodeName(), new Hooks(onRequest, onResponse, onError),
				Duration.ofSeconds(2), mode, 503);
	}

	/** An application that answers 200 "app" and records that it ran. */
	private static WebFilterChain app(AtomicBoolean ran) {
		return (exchange) -> {
			ran.set(true);
			exchange.getResponse().setStatusCode(HttpStatus.OK);
			return exchange.getResponse()
				.writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap("app".getBytes(StandardCharsets.UTF_8))));
		};
	}

	@Test
	void onRequestSeesTheRequestAndCanAnswerIt() {
		register("wf_on_request", "fun(#{method := <<\"GET\">>, path := <<\"/p\">>, query := <<\"q=1\">>, "
				+ "headers := H}) -> case lists:keyfind(<<\"x-block\">>, 1, H) of "
				+ "{_, <<\"yes\">>} -> {respond, 403, [{<<\"x-erl\">>, <<\"1\">>}], <<\"blocked\">>}; "
				+ "false -> continue end end");
		ErlangHookWebFilter filter = filter("wf_on_request", null, null, HookFailureMode.OPEN);
		AtomicBoolean ran = new AtomicBoolean();
		MockServerWebExchange blocked = MockServerWebExchange
			.from(MockServerHttpRequest.get("/p?q=1").header("X-Block", "yes"));
		filter.filter(blocked, app(ran)).block(Duration.ofSeconds(10));
		assertThat(ran).isFalse();
		assertThat(blocked.getResponse().getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(blocked.getResponse().getHeaders().getFirst("x-erl")).isEqualTo("1");
		assertThat(blocked.getResponse().getBodyAsString().block()).isEqualTo("blocked");
		MockServerWebExchange allowed = MockServerWebExchange.from(MockServerHttpRequest.get("/p?q=1"));
		filter.filter(allowed, app(ran)).block(Duration.ofSeconds(10));
		assertThat(ran).isTrue();
		assertThat(allowed.getResponse().getBodyAsString().block()).isEqualTo("app");
	}

	@Test
	void onResponseChangesStatusAndHeaders() {
		register("wf_on_response", "fun(_, #{status := 200}) -> {201, [{<<\"x-after\">>, <<\"yes\">>}]} end");
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/r"));
		filter(null, "wf_on_response", null, HookFailureMode.OPEN).filter(exchange, app(new AtomicBoolean()))
			.block(Duration.ofSeconds(10));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(exchange.getResponse().getHeaders().getFirst("x-after")).isEqualTo("yes");
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("app");
	}

	@Test
	void onErrorTurnsAnExceptionIntoAResponse() {
		register("wf_on_error", "fun(_, #{class := C, message := M}) -> {418, <<C/binary, \": \", M/binary>>} end");
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/e"));
		filter(null, null, "wf_on_error", HookFailureMode.OPEN)
			.filter(exchange, (ex) -> Mono.error(new IllegalStateException("boom")))
			.block(Duration.ofSeconds(10));
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.I_AM_A_TEAPOT);
		assertThat(exchange.getResponse().getBodyAsString().block()).isEqualTo("java.lang.IllegalStateException: boom");
	}

	@Test
	void failingHooksFailOpenOrClosedAndApplicationErrorsStayTheApplications() {
		register("wf_crash", "fun(_) -> error(hook_crashed) end");
		AtomicBoolean ran = new AtomicBoolean();
		MockServerWebExchange open = MockServerWebExchange.from(MockServerHttpRequest.get("/o"));
		filter("wf_crash", null, null, HookFailureMode.OPEN).filter(open, app(ran)).block(Duration.ofSeconds(10));
		assertThat(ran).as("fail open: the application runs").isTrue();
		assertThat(open.getResponse().getBodyAsString().block()).isEqualTo("app");
		ran.set(false);
		MockServerWebExchange closed = MockServerWebExchange.from(MockServerHttpRequest.get("/c"));
		filter("wf_crash", null, null, HookFailureMode.CLOSED).filter(closed, app(ran)).block(Duration.ofSeconds(10));
		assertThat(ran).as("fail closed: the application does not run").isFalse();
		assertThat(closed.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		register("wf_continue", "fun(_) -> continue end");
		MockServerWebExchange failing = MockServerWebExchange.from(MockServerHttpRequest.get("/f"));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> filter("wf_continue", null, null, HookFailureMode.CLOSED)
				.filter(failing, (ex) -> Mono.error(new IllegalArgumentException("the application's own")))
				.block(Duration.ofSeconds(10)))
			.withMessage("the application's own");
	}

	@Test
	void reactiveApplicationsGetTheWebFilter() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class, ErlangHooksAutoConfiguration.class))
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_webflux_ac") + "@127.0.0.1",
					"erlang.cookie=" + peer.cookie(), "erlang.default-peer=" + peer.nodeName(),
					"erlang.hooks.on-request=x")
			.run((ctx) -> {
				assertThat(ctx).hasSingleBean(ErlangHookWebFilter.class).doesNotHaveBean(ErlangHookFilter.class);
				assertThat(ctx.getBean(ErlangHookWebFilter.class).getHooks())
					.isEqualTo(new Hooks("x", null, null));
			});
	}

}
