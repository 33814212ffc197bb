package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.convert.Atom;
import io.github.erlangspring.core.ErlangNodeTemplate;
import io.github.erlangspring.core.RpcResult;
import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.event.ErlangNodeDownEvent;
import io.github.erlangspring.event.ErlangNodeEvent;
import io.github.erlangspring.node.ErlangClass;
import io.github.erlangspring.node.ErlangNoProcessException;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A Spring context with {@code @ErlangProcess} and {@code @ErlangRpc} beans, and real Erlang
 * nodes calling into it and being called by it.
 */
class ErlangSpringEndToEndTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	static ConfigurableApplicationContext context;

	static String javaNode;

	static final List<ErlangNodeEvent> events = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		peer = erlang.start();
		javaNode = ErlangPeer.uniqueAlive("esb_spring") + "@127.0.0.1";
		context = startContext(javaNode, peer);
	}

	static ConfigurableApplicationContext startContext(String node, ErlangPeer peer) {
		AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext();
		ctx.registerBean(SampleEndpoints.Greeter.class);
		ctx.registerBean(SampleEndpoints.Counter.class);
		ctx.addApplicationListener((ApplicationListener<ErlangNodeEvent>) events::add);
		org.springframework.core.env.MapPropertySource properties = new org.springframework.core.env.MapPropertySource(
				"test", Map.of("erlang.node", node, "erlang.cookie", peer.cookie(), "erlang.default-peer",
						peer.nodeName(), "erlang.connect", peer.nodeName()));
		ctx.getEnvironment().getPropertySources().addFirst(properties);
		ctx.register(AutoConfig.class);
		ctx.refresh();
		return ctx;
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.ImportAutoConfiguration(ErlangAutoConfiguration.class)
	static class AutoConfig {

	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	private OtpErlangObject rpc(String module, String function, String args) {
		return peer.eval("rpc:call('" + javaNode + "', " + module + ", " + function + ", " + args + ")");
	}

	@Test
	void erlangCallsGreeterHello() {
		assertThat(rpc("greeter", "hello", "[<<\"World\">>]"))
			.isEqualTo(new OtpErlangBinary("Hello, World!".getBytes()));
		assertThat(peer.eval("erpc:call('" + javaNode + "', greeter, hello, [\"charlist\"])"))
			.isEqualTo(new OtpErlangBinary("Hello, charlist!".getBytes()));
	}

	@Test
	void javaExceptionReachesErlangAsBadrpcNamingTheClass() {
		OtpErlangObject result = rpc("greeter", "fail", "[<<\"boom\">>]");
		assertThat(result.toString()).startsWith("{badrpc,{'EXIT',{{'java.lang.IllegalStateException',")
			.contains("#Bin<4>");
		assertThat(peer.eval("{badrpc, {'EXIT', {{Class, Msg}, Stack}}} = rpc:call('" + javaNode
				+ "', greeter, fail, [<<\"boom\">>]), {Class, Msg, is_list(Stack), length(Stack) > 0}"))
			.hasToString("{'java.lang.IllegalStateException',\"boom\",true,true}".replace("\"boom\"", "#Bin<4>"));
		assertThat(peer.eval("{badrpc, {'EXIT', {_, Stack}}} = rpc:call('" + javaNode
				+ "', greeter, fail, [<<\"boom\">>]), [{C, F} || {C, F, _, _} <- Stack]"))
			.as("the stack is the method's own frame: no reflection, method-handle or framework frame follows it")
			.hasToString("[{'io.github.erlangspring.autoconfigure.SampleEndpoints$Greeter',fail}]");
		assertThat(peer.eval("try erpc:call('" + javaNode + "', greeter, fail, [<<\"boom\">>]) "
				+ "catch error:{exception, {C, M}, _} -> {C, binary_to_list(M)} end"))
			.hasToString("{'java.lang.IllegalStateException',\"boom\"}");
	}

	@Test
	void argumentConversionFailureIsBadargNamingTheArgument() {
		OtpErlangObject result = peer.eval("try erpc:call('" + javaNode + "', greeter, hello, [42]) "
				+ "catch error:{exception, {badarg, #{argument := N, reason := R}}, _} -> {N, binary_to_list(R)} end");
		assertThat(result).hasToString("{1,\"name: expected a binary or string, got 42\"}");
		assertThat(peer.eval("try erpc:call('" + javaNode + "', greeter, user_email, [#{name => <<\"a\">>, email => 7}]) "
				+ "catch error:{exception, {badarg, #{reason := R}}, _} -> binary_to_list(R) end"))
			.hasToString("\"user.email: expected a binary or string, got 7\"");
	}

	@Test
	void recordsListsAndPlaceholdersWork() {
		assertThat(rpc("greeter", "add_all", "[[1, 2, 3]]")).isEqualTo(new OtpErlangLong(6));
		assertThat(rpc("greeter", "user_email", "[#{name => <<\"n\">>, email => <<\"e@x\">>}]"))
			.isEqualTo(new OtpErlangBinary("e@x".getBytes()));
		assertThat(rpc("other", "ping", "[]")).isEqualTo(new OtpErlangAtom("ok"));
	}

	@Test
	void unknownFunctionIsUndefLikeOnErlang() {
		OtpErlangObject onErlang = peer.eval("rpc:call(node(), greeter, nope, [1])");
		assertThat(rpc("greeter", "nope", "[1]")).isEqualTo(onErlang);
		assertThat(peer.eval("{badrpc, {'EXIT', {undef, [{greeter, nope, [1], []}]}}} = rpc:call('" + javaNode
				+ "', greeter, nope, [1]), matched")).isEqualTo(new OtpErlangAtom("matched"));
	}

	@Test
	void counterFollowsTheSampleContract() {
		String counter = "{counter, '" + javaNode + "'}";
		peer.eval("gen_server:cast(" + counter + ", reset)");
		assertThat(peer.eval("gen_server:call(" + counter + ", get)")).isEqualTo(new OtpErlangLong(0));
		assertThat(peer.eval("gen_server:call(" + counter + ", incr)")).isEqualTo(new OtpErlangLong(1));
		assertThat(peer.eval("gen_server:call(" + counter + ", incr)")).isEqualTo(new OtpErlangLong(2));
		assertThat(peer.eval("gen_server:call(" + counter + ", {add, 5})")).isEqualTo(new OtpErlangLong(7));
		assertThat(peer.eval("gen_server:call(" + counter + ", get)")).isEqualTo(new OtpErlangLong(7));
		peer.eval("gen_server:cast(" + counter + ", reset)");
		assertThat(peer.eval("gen_server:call(" + counter + ", get)")).isEqualTo(new OtpErlangLong(0));
	}

	@Test
	void handlerExceptionMakesTheCallerExitAndTheProcessKeepsServing() {
		String counter = "{counter, '" + javaNode + "'}";
		OtpErlangLong before = (OtpErlangLong) peer.eval("gen_server:call(" + counter + ", get)");
		OtpErlangObject caught = peer.eval("try gen_server:call(" + counter + ", {divide, 0}) "
				+ "catch exit:{Reason, {gen_server, call, _}} -> Reason end");
		assertThat(caught.toString()).startsWith("{'java.lang.ArithmeticException',");
		// still the same process with the same state: it answers the next calls with their values
		assertThat(peer.eval("gen_server:call(" + counter + ", get)")).isEqualTo(before);
		assertThat(peer.eval("gen_server:call(" + counter + ", incr)"))
			.isEqualTo(new OtpErlangLong(before.longValue() + 1));
		OtpErlangObject unmatched = peer.eval("try gen_server:call(" + counter + ", {no, such, request}) "
				+ "catch exit:{Reason, _} -> Reason end");
		assertThat(unmatched).hasToString("{function_clause,{no,such,request}}");
	}

	@Test
	void typedDeferredAndAsyncHandlers() {
		String counter = "{counter, '" + javaNode + "'}";
		assertThat(peer.eval("gen_server:call(" + counter + ", <<\"hi\">>)"))
			.isEqualTo(new OtpErlangBinary("text:hi".getBytes()));
		assertThat(peer.eval("gen_server:call(" + counter + ", {later, 50})"))
			.isEqualTo(new OtpErlangBinary("done".getBytes()));
		assertThat(peer.eval("gen_server:call(" + counter + ", {async, <<\"abc\">>})"))
			.isEqualTo(new OtpErlangBinary("ABC".getBytes()));
	}

	@Test
	void plainMessagesReachTheInfoHandler() throws Exception {
		SampleEndpoints.Counter counter = context.getBean(SampleEndpoints.Counter.class);
		peer.eval("{counter, '" + javaNode + "'} ! {hello, from_erlang}, ok");
		await().atMost(Duration.ofSeconds(10)).until(() -> !counter.infos.isEmpty());
		assertThat(counter.infos.get(0).toString()).isEqualTo("{hello,from_erlang}");
	}

	@Test
	void templateCallsErlang() {
		ErlangNodeTemplate template = context.getBean(ErlangNodeTemplate.class);
		assertThat(template.ping(peer.nodeName())).isTrue();
		assertThat(template.rpc(peer.nodeName(), "lists", "reverse", List.of(1L, 2L, 3L))).isEqualTo(List.of(3L, 2L, 1L));
		assertThat(template.rpc(null, "erlang", "atom_to_binary", String.class, new Atom("abc"))).isEqualTo("abc");
		assertThat(template.rpc(null, "lists", "sum", Long.class, List.of(1, 2, 3))).isEqualTo(6L);
		peer.eval("esb_test:start_server(tpl_server)");
		assertThat(template.call("tpl_server", new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("echo"),
				new OtpErlangString("x") }), Duration.ofSeconds(5))).isEqualTo("x");
		assertThat(template.call("tpl_server@" + peer.nodeName(), new OtpErlangAtom("count"), Long.class)).isEqualTo(1L);
		assertThatExceptionOfType(ErlangNoProcessException.class)
			.isThrownBy(() -> template.call("nobody", "x", Duration.ofSeconds(5)));
		assertThatExceptionOfType(ErlangRemoteException.class)
			.isThrownBy(() -> template.rpc(null, "erlang", "error", new Atom("oops")))
			.satisfies((ex) -> {
				assertThat(ex.getErlangClass()).isEqualTo(ErlangClass.ERROR);
				assertThat(ex.getReason()).isEqualTo(new OtpErlangAtom("oops"));
			});
	}

	@Test
	void templateAsyncCastAndMulticall() throws Exception {
		ErlangNodeTemplate template = context.getBean(ErlangNodeTemplate.class);
		assertThat(template.rpcAsync(null, "erlang", "length", List.of(1, 2)).get(5, TimeUnit.SECONDS)).isEqualTo(2L);
		peer.eval("esb_test:start_collector(tpl_inbox)");
		template.send("tpl_inbox", "hello");
		template.rpcCast(null, "erlang", "send", new Atom("tpl_inbox"), new Atom("cast_done"));
		assertThat(peer.eval("esb_test:await(tpl_inbox, 2, 5000)")).hasToString("[#Bin<5>,cast_done]");
		Map<String, RpcResult> results = template.multicall(List.of(peer.nodeName(), javaNode, "gone@127.0.0.1"),
				"greeter", "hello", "M");
		assertThat(results.get(peer.nodeName()).isSuccess()).isFalse();
		assertThat(results.get(javaNode).value()).isEqualTo("Hello, M!");
		assertThat(results.get("gone@127.0.0.1").isSuccess()).isFalse();
	}

	@Test
	void registryListsProcessesAndFunctions() {
		ErlangEndpointRegistry registry = context.getBean(ErlangEndpointRegistry.class);
		assertThat(registry.getProcessNames()).containsExactly("counter");
		assertThat(registry.getRpcSignatures()).contains("greeter:hello/1", "greeter:fail/1", "greeter:add_all/1",
				"greeter:user_email/1", "other:ping/0");
		assertThat(events).anyMatch((event) -> event.getNode().equals(peer.nodeName()));
	}

	@Test
	void processExitsWithShutdownWhenTheContextCloses() throws Exception {
		String node = ErlangPeer.uniqueAlive("esb_spring_close") + "@127.0.0.1";
		ConfigurableApplicationContext second = startContext(node, peer);
		String counter = "{counter, '" + node + "'}";
		// one Erlang process monitors the counter, then calls it: once the call has been served,
		// the monitor is in place (signals between two processes keep their order)
		var down = peer.evalAsync("Ref = erlang:monitor(process, " + counter + "), 1 = gen_server:call(" + counter
				+ ", incr), receive {'DOWN', Ref, process, _, Reason} -> Reason after 10000 -> timeout end");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> peer.eval("gen_server:call(" + counter + ", get)"), new OtpErlangLong(1)::equals);
		ErlangNode secondNode = second.getBean(ErlangNode.class);
		second.close();
		// processes are stopped before the connections close: not noconnection
		assertThat(down.get(15, TimeUnit.SECONDS)).isEqualTo(new OtpErlangAtom("shutdown"));
		assertThat(secondNode.isRunning()).isFalse();
		assertThat(events).anyMatch((event) -> event instanceof ErlangNodeDownEvent);
	}

	@Test
	void ambiguousHandlersFailStartUp() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class))
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_amb") + "@127.0.0.1",
					"erlang.cookie=" + peer.cookie())
			.withBean(SampleEndpoints.Ambiguous.class)
			.run((ctx) -> {
				assertThat(ctx).hasFailed();
				assertThat(ctx.getStartupFailure()).hasMessageContaining("Ambiguous @HandleCall handlers")
					.hasMessageContaining("tag x/0");
			});
	}

}
