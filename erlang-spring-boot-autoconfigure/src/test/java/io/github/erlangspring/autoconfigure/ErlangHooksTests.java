package io.github.erlangspring.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import io.github.erlangspring.web.ErlangHookFilter;
import io.github.erlangspring.web.Hooks;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Web hooks end to end: an embedded Tomcat serving a plain servlet, the hook filter, and hook
 * functions registered with spring_bridge on a real Erlang node (re-registered per test, since
 * they are looked up by name on every call).
 */
class ErlangHooksTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	static ConfigurableApplicationContext open;

	static ConfigurableApplicationContext closed;

	static volatile CountDownLatch streamed = new CountDownLatch(1);

	static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		peer = erlang.start();
		open = startApp("esb_hooks_open", "esb_on_request", "esb_on_response", "esb_on_error", "open");
		closed = startApp("esb_hooks_closed", "esb_closed_request", "esb_closed_response", "esb_closed_error",
				"closed");
		open.getBean(SpringBridgeLoader.class).load(peer.nodeName());
		peer.eval("esb_test:start_collector(hook_inbox)");
	}

	static ConfigurableApplicationContext startApp(String name, String onRequest, String onResponse, String onError,
			String failureMode) {
		return new SpringApplicationBuilder(WebApp.class).web(WebApplicationType.SERVLET)
			.properties("erlang.node=" + ErlangPeer.uniqueAlive(name) + "@127.0.0.1", "erlang.cookie=" + peer.cookie(),
					"erlang.default-peer=" + peer.nodeName(), "erlang.hooks.on-request=" + onRequest,
					"erlang.hooks.on-response=" + onResponse, "erlang.hooks.on-error=" + onError,
					"erlang.hooks.timeout=1s", "erlang.hooks.failure-mode=" + failureMode,
					"erlang.hooks.failure-status=503", "spring.main.banner-mode=off")
			.run();
	}

	@AfterAll
	static void stop() {
		if (open != null) {
			open.close();
		}
		if (closed != null) {
			closed.close();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ErlangAutoConfiguration.class, ErlangBridgeAutoConfiguration.class,
			ErlangHooksAutoConfiguration.class })
	static class WebApp {

		@Bean
		TomcatServletWebServerFactory tomcat() {
			return new TomcatServletWebServerFactory(0);
		}

		@Bean
		ServletRegistrationBean<HttpServlet> app() {
			return new ServletRegistrationBean<>(new HttpServlet() {
				@Override
				protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
					if (request.getRequestURI().equals("/boom")) {
						throw new IllegalStateException("boom at " + request.getRequestURI());
					}
					if (request.getRequestURI().equals("/empty")) {
						response.setStatus(204);
						return;
					}
					if (request.getRequestURI().equals("/stream")) {
						response.setContentType("text/plain");
						response.getWriter().write("first\n");
						response.getWriter().flush();
						try {
							if (!streamed.await(10, TimeUnit.SECONDS)) {
								throw new IllegalStateException("the client never saw the first line");
							}
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
						response.getWriter().write("second\n");
						return;
					}
					response.setHeader("X-App", "servlet");
					response.setContentType("text/plain");
					response.getWriter().write("app:" + request.getRequestURI());
				}
			}, "/*");
		}

	}

	static void register(String name, String fun) {
		assertThat(peer.eval("spring_bridge:register_function(" + name + ", " + fun + ")"))
			.isEqualTo(new OtpErlangAtom("ok"));
	}

	static HttpResponse<String> get(ConfigurableApplicationContext app, String path, String... headers)
			throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	static void passThrough() {
		register("esb_on_request", "fun(_) -> continue end");
		register("esb_on_response", "fun(_, _) -> continue end");
		register("esb_on_error", "fun(_, _) -> continue end");
	}

	@Test
	void onRequestSeesTheRequestAndCanAnswerIt() throws Exception {
		passThrough();
		register("esb_on_request", "fun(#{headers := H} = Req) -> hook_inbox ! {on_request, Req}, "
				+ "case proplists:get_value(<<\"x-block\">>, H) of "
				+ "<<\"yes\">> -> {respond, 403, [{<<\"x-blocked-by\">>, <<\"erlang\">>}], \"blocked, sorry\"}; "
				+ "_ -> continue end end");
		HttpResponse<String> passed = get(open, "/hello?a=1&b=2", "X-Token", "t0k3n");
		assertThat(passed.statusCode()).isEqualTo(200);
		assertThat(passed.body()).isEqualTo("app:/hello");
		assertThat(peer.eval("[{on_request, #{method := M, path := P, query := Q, headers := H, peer := Peer}}] = "
				+ "esb_test:await(hook_inbox, 1, 5000), "
				+ "{M, P, Q, proplists:get_value(<<\"x-token\">>, H), Peer}").toString())
			.isEqualTo("{#Bin<3>,#Bin<6>,#Bin<7>,#Bin<5>,#Bin<9>}");
		assertThat(peer.eval("esb_test:take_all(hook_inbox)").toString()).isEqualTo("[]");

		HttpResponse<String> blocked = get(open, "/hello", "X-Block", "yes");
		assertThat(blocked.statusCode()).isEqualTo(403);
		assertThat(blocked.body()).isEqualTo("blocked, sorry");
		assertThat(blocked.headers().firstValue("x-blocked-by")).hasValue("erlang");
		assertThat(blocked.headers().firstValue("x-app")).isEmpty();
		peer.eval("esb_test:take_all(hook_inbox)");
	}

	@Test
	void onRequestReceivesTheValuesAsSent() throws Exception {
		passThrough();
		register("esb_on_request", "fun(#{method := M, path := P, query := Q, peer := Peer}) -> "
				+ "hook_inbox ! {M, P, Q, Peer}, continue end");
		get(open, "/a/b%20c");
		assertThat(peer.eval("[{M, P, Q, Peer}] = esb_test:await(hook_inbox, 1, 5000), "
				+ "{binary_to_list(M), binary_to_list(P), Q, binary_to_list(Peer)}").toString())
			.isEqualTo("{\"GET\",\"/a/b%20c\",undefined,\"127.0.0.1\"}");
	}

	@Test
	void onResponseChangesStatusAndHeaders() throws Exception {
		passThrough();
		register("esb_on_response", "fun(#{path := <<\"/created\">>}, #{status := 200, headers := H}) -> "
				+ "{201, [{<<\"x-app\">>, <<\"replaced\">>}, {<<\"x-had\">>, integer_to_binary(length(H))}]}; "
				+ "(_, _) -> continue end");
		HttpResponse<String> created = get(open, "/created");
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.body()).isEqualTo("app:/created");
		assertThat(created.headers().allValues("x-app")).containsExactly("replaced");
		assertThat(created.headers().firstValue("x-had").map(Integer::parseInt)).hasValueSatisfying(
				(count) -> assertThat(count).isGreaterThanOrEqualTo(2));
		HttpResponse<String> untouched = get(open, "/other");
		assertThat(untouched.statusCode()).isEqualTo(200);
		assertThat(untouched.headers().allValues("x-app")).containsExactly("servlet");
	}

	@Test
	void onResponseSeesResponsesWithoutBodyAndDoesNotHoldStreamedOnes() throws Exception {
		passThrough();
		register("esb_on_response", "fun(_, #{status := S}) -> {S, [{<<\"x-hooked\">>, integer_to_binary(S)}]} end");
		HttpResponse<String> empty = get(open, "/empty");
		assertThat(empty.statusCode()).isEqualTo(204);
		assertThat(empty.headers().firstValue("x-hooked")).hasValue("204");

		streamed = new CountDownLatch(1);
		int port = ((WebServerApplicationContext) open).getWebServer().getPort();
		HttpResponse<InputStream> stream = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stream")).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(stream.headers().firstValue("x-hooked")).hasValue("200");
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
			assertThat(lines.readLine()).isEqualTo("first");
			streamed.countDown();
			assertThat(lines.readLine()).isEqualTo("second");
		}
	}

	@Test
	void onErrorTurnsAnExceptionIntoAResponse() throws Exception {
		passThrough();
		register("esb_on_error", "fun(#{path := P}, #{class := C, message := M}) -> "
				+ "{502, [<<\"erlang saw \">>, C, <<\": \">>, M, <<\" on \">>, P]} end");
		HttpResponse<String> failed = get(open, "/boom");
		assertThat(failed.statusCode()).isEqualTo(502);
		assertThat(failed.body()).isEqualTo("erlang saw java.lang.IllegalStateException: boom at /boom on /boom");
	}

	@Test
	void failingHooksFailOpen() throws Exception {
		passThrough();
		register("esb_on_request", "fun(_) -> error(hook_crashed) end");
		assertThat(get(open, "/x").statusCode()).isEqualTo(200);
		register("esb_on_request", "fun(_) -> not_an_answer end");
		assertThat(get(open, "/x").body()).isEqualTo("app:/x");
		register("esb_on_request", "fun(_) -> {respond, 99999, [], <<>>} end");
		assertThat(get(open, "/x").statusCode()).isEqualTo(200);
		peer.eval("spring_bridge:unregister_function(esb_on_request)");
		assertThat(get(open, "/x").statusCode()).isEqualTo(200);
		register("esb_on_response", "fun(_, _) -> exit(gone) end");
		HttpResponse<String> response = get(open, "/x");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("app:/x");
		register("esb_on_error", "fun(_, _) -> error(also_broken) end");
		assertThat(get(open, "/boom").statusCode()).as("the exception goes on to the container").isEqualTo(500);
	}

	@Test
	void aSlowHookTimesOutAndTheRequestProceeds() throws Exception {
		passThrough();
		// the hook answers after a minute: a filter that waited for it would outlast the request's own
		// 10 s timeout (get fails), and one that used its answer would respond 418
		register("esb_on_request", "fun(_) -> timer:sleep(60000), {respond, 418, [], <<\"too late\">>} end");
		long start = System.nanoTime();
		HttpResponse<String> response = get(open, "/slow");
		long elapsed = System.nanoTime() - start;
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("app:/slow");
		assertThat(elapsed).as("answered after waiting out the 1 s hook timeout")
			.isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
	}

	@Test
	void failingHooksFailClosedWhenConfigured() throws Exception {
		register("esb_closed_request", "fun(_) -> error(hook_crashed) end");
		register("esb_closed_response", "fun(_, _) -> continue end");
		register("esb_closed_error", "fun(_, _) -> continue end");
		HttpResponse<String> refused = get(closed, "/x");
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).isEmpty();
		register("esb_closed_request", "fun(_) -> timer:sleep(5000), continue end");
		assertThat(get(closed, "/x").statusCode()).isEqualTo(503);
		register("esb_closed_request", "fun(_) -> continue end");
		assertThat(get(closed, "/x").statusCode()).isEqualTo(200);
		register("esb_closed_error", "fun(_, _) -> error(broken) end");
		assertThat(get(closed, "/boom").statusCode()).isEqualTo(503);
		register("esb_closed_response", "fun(_, _) -> {bad_status, []} end");
		HttpResponse<String> dropped = get(closed, "/x");
		assertThat(dropped.statusCode()).isEqualTo(503);
		assertThat(dropped.body()).as("the application's body is dropped").isEmpty();
		assertThat(dropped.headers().firstValue("x-app")).isEmpty();
	}

	@Test
	void hooksNeedAServletApplicationAndAHookName() {
		String[] node = { "erlang.node=" + ErlangPeer.uniqueAlive("esb_hooks_cond") + "@127.0.0.1",
				"erlang.cookie=" + peer.cookie(), "erlang.default-peer=" + peer.nodeName() };
		AutoConfigurations configurations = AutoConfigurations.of(ErlangAutoConfiguration.class,
				ErlangHooksAutoConfiguration.class);
		new ApplicationContextRunner().withConfiguration(configurations)
			.withPropertyValues(node)
			.withPropertyValues("erlang.hooks.on-request=x")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ErlangHookFilter.class));
		new WebApplicationContextRunner().withConfiguration(configurations)
			.withPropertyValues(node)
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ErlangHookFilter.class));
		new WebApplicationContextRunner().withConfiguration(configurations)
			.withPropertyValues(node)
			.withPropertyValues("erlang.hooks.on-error=err", "erlang.hooks.node=other@127.0.0.1")
			.run((context) -> {
				ErlangHookFilter filter = context.getBean(ErlangHookFilter.class);
				assertThat(filter.getHooks()).isEqualTo(new Hooks(null, null, "err"));
				assertThat(filter.getErlangNode()).isEqualTo("other@127.0.0.1");
			});
		new WebApplicationContextRunner().withConfiguration(configurations)
			.withPropertyValues(node[0], node[1], "erlang.hooks.on-request=x")
			.run((context) -> assertThat(context).getFailure()
				.hasRootCauseInstanceOf(ErlangNodeStartException.class)
				.rootCause()
				.hasMessageContaining("no Erlang node is named"));
	}

}
