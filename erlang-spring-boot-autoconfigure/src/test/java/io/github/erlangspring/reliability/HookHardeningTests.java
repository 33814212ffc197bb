package io.github.erlangspring.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangBridgeAutoConfiguration;
import io.github.erlangspring.autoconfigure.ErlangHooksAutoConfiguration;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Web hooks do not hand credentials to Erlang unless told to, and what Erlang answers is checked
 * before it reaches the HTTP response: a header name that is not a token or a value with CR, LF
 * or NUL is a hook failure (here in closed mode: the failure status).
 */
class HookHardeningTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	static ConfigurableApplicationContext app;

	static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		peer = erlang.start();
		app = new SpringApplicationBuilder(WebApp.class).web(WebApplicationType.SERVLET)
			.properties("erlang.node=" + ErlangPeer.uniqueAlive("esb_hookh") + "@127.0.0.1",
					"erlang.cookie=" + peer.cookie(), "erlang.default-peer=" + peer.nodeName(),
					"erlang.hooks.on-request=esb_hard_request", "erlang.hooks.timeout=2s",
					"erlang.hooks.failure-mode=closed", "erlang.hooks.failure-status=503",
					"spring.main.banner-mode=off")
			.run();
		app.getBean(SpringBridgeLoader.class).load(peer.nodeName());
		peer.eval("esb_test:start_collector(hard_inbox)");
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void credentialsAreNotSentToErlang() throws Exception {
		register("fun(#{headers := H}) -> hard_inbox ! {headers, [binary_to_list(K) || {K, _} <- H]}, continue end");
		HttpResponse<String> response = get("/x", "Authorization", "Bearer s3cret", "Cookie", "SESSION=abc",
				"Proxy-Authorization", "Basic eHg=", "X-Other", "visible");
		assertThat(response.statusCode()).isEqualTo(200);
		String names = peer.eval("[{headers, Names}] = esb_test:await(hard_inbox, 1, 5000), Names").toString();
		assertThat(names).contains("x-other").doesNotContain("authorization").doesNotContain("cookie");
	}

	@Test
	void headersFromErlangThatCouldSplitTheResponseAreAHookFailure() throws Exception {
		register("fun(_) -> {respond, 200, [{<<\"x-evil\">>, <<\"a\\r\\nSet-Cookie: forged=1\">>}], \"ok\"} end");
		HttpResponse<String> split = get("/x");
		assertThat(split.statusCode()).isEqualTo(503);
		assertThat(split.headers().map()).doesNotContainKey("set-cookie");
		register("fun(_) -> {respond, 200, [{<<\"bad name\">>, <<\"v\">>}], \"ok\"} end");
		assertThat(get("/x").statusCode()).isEqualTo(503);
		register("fun(_) -> {respond, 200, [{<<\"x-nul\">>, <<\"a\", 0, \"b\">>}], \"ok\"} end");
		assertThat(get("/x").statusCode()).isEqualTo(503);
		// a valid answer still goes through
		register("fun(_) -> {respond, 200, [{<<\"x-fine\">>, <<\"yes\\tindeed\">>}], \"ok\"} end");
		HttpResponse<String> fine = get("/x");
		assertThat(fine.statusCode()).isEqualTo(200);
		// a tab is legal in a value (the client may fold it to a space)
		assertThat(fine.headers().firstValue("x-fine")).hasValueSatisfying((value) -> assertThat(value).startsWith("yes"));
	}

	private static void register(String fun) {
		assertThat(peer.eval("spring_bridge:register_function(esb_hard_request, " + fun + ")"))
			.isEqualTo(new OtpErlangAtom("ok"));
	}

	private static HttpResponse<String> get(String path, String... headers) throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
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
					response.getWriter().write("app");
				}
			}, "/*");
		}

	}

}
