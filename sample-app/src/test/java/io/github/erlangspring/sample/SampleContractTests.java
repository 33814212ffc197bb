package io.github.erlangspring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import io.github.erlangspring.test.ErlangPeer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application's contract, checked from a real Erlang node.
 */
class SampleContractTests {

	@RegisterExtension
	static final RunningSample sample = new RunningSample();

	static ErlangPeer peer;

	static ConfigurableApplicationContext app;

	static String node;

	@BeforeAll
	static void start() {
		peer = sample.peer();
		node = sample.node();
		app = sample.app();
	}

	@Test
	void greeterHelloAnswersErlang() {
		assertThat(peer.eval("rpc:call('" + node + "', greeter, hello, [<<\"World\">>])"))
			.isEqualTo(new OtpErlangBinary("Hello, World!".getBytes()));
	}

	@Test
	void greeterFailReturnsBadrpcNamingTheJavaException() {
		OtpErlangObject reason = peer.eval("{badrpc, {'EXIT', {Reason, Stack}}} = rpc:call('" + node
				+ "', greeter, fail, [<<\"boom\">>]), true = is_list(Stack), Reason");
		assertThat(reason.toString()).contains("java.lang.IllegalStateException");
		assertThat(peer.eval("{badrpc, {'EXIT', {{_, Msg}, _}}} = rpc:call('" + node
				+ "', greeter, fail, [<<\"boom\">>]), Msg")).isEqualTo(new OtpErlangBinary("boom".getBytes()));
	}

	@Test
	void counterCountsForErlang() {
		String counter = "{counter, '" + node + "'}";
		peer.eval("gen_server:cast(" + counter + ", reset)");
		assertThat(peer.eval("gen_server:call(" + counter + ", incr)")).isEqualTo(new OtpErlangLong(1));
		assertThat(peer.eval("gen_server:call(" + counter + ", incr)")).isEqualTo(new OtpErlangLong(2));
		assertThat(peer.eval("gen_server:call(" + counter + ", {add, 5})")).isEqualTo(new OtpErlangLong(7));
		assertThat(peer.eval("gen_server:call(" + counter + ", get)")).isEqualTo(new OtpErlangLong(7));
		peer.eval("gen_server:cast(" + counter + ", reset)");
		assertThat(peer.eval("gen_server:call(" + counter + ", get)")).isEqualTo(new OtpErlangLong(0));
	}

	@Test
	void webEndpointCallsTheErlangPeer() throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/hello?name=Test")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("Hello from Erlang, Test!");
		assertThat(peer.eval("lists:member('" + node + "', nodes(hidden))")).isEqualTo(new OtpErlangAtom("true"));
	}

	@Test
	void pageViewsAreSharedWithErlang() throws Exception {
		long before = viewsFromErlang();
		HttpResponse<String> first = get("/api/views");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo("{\"views\":" + (before + 1) + "}");
		assertThat(peer.eval("rpc:call('" + node + "', spring_state, incr, [<<\"page_views\">>, 10])"))
			.isEqualTo(new OtpErlangLong(before + 11));
		assertThat(get("/api/views").body()).isEqualTo("{\"views\":" + (before + 12) + "}");
		assertThat(viewsFromErlang()).isEqualTo(before + 12);
	}

	private long viewsFromErlang() {
		OtpErlangObject views = peer.eval("demo_peer:page_views('" + node + "')");
		return (views instanceof OtpErlangLong count) ? count.longValue() : 0;
	}

	@Test
	void theErlangHookBlocksRequestsMarkedXBlock() throws Exception {
		long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
		while (!peer.eval("is_pid(whereis(spring_bridge_server))").equals(new OtpErlangAtom("true"))) {
			assertThat(System.nanoTime()).as("spring_bridge loaded onto the peer").isLessThan(deadline);
			java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(50));
		}
		assertThat(peer.eval("demo_peer:register_hooks()")).isEqualTo(new OtpErlangAtom("ok"));
		HttpResponse<String> blocked = get("/api/hello?name=Blocked", "X-Block", "yes");
		assertThat(blocked.statusCode()).isEqualTo(403);
		assertThat(blocked.body()).isEqualTo("Blocked by demo_peer (Erlang)\n");
		HttpResponse<String> passed = get("/api/hello?name=Passed", "X-Block", "no");
		assertThat(passed.statusCode()).isEqualTo(200);
		assertThat(passed.body()).contains("Hello from Erlang, Passed!");
	}

	private static HttpResponse<String> get(String path, String... headers) throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
