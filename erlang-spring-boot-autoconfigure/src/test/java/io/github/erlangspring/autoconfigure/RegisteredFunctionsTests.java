package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.bridge.ErlangFunctionNotFoundException;
import io.github.erlangspring.bridge.SpringBridgeException;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.node.ErlangClass;
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
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Functions registered with spring_bridge on a real Erlang node, called from Java
 * ({@code callFunction}/{@code castFunction}) and, for a Java function registered there, from
 * Erlang. The application loads spring_bridge onto its default peer when it connects.
 */
class RegisteredFunctionsTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	static ConfigurableApplicationContext context;

	static String javaNode;

	static ErlangOperations operations;

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		peer = erlang.start();
		javaNode = ErlangPeer.uniqueAlive("esb_fn") + "@127.0.0.1";
		AnnotationConfigApplicationContext ctx = new AnnotationConfigApplicationContext();
		ctx.registerBean(SampleEndpoints.Greeter.class);
		ctx.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", Map.of("erlang.node", javaNode,
				"erlang.cookie", peer.cookie(), "erlang.default-peer", peer.nodeName(), "erlang.connect",
				peer.nodeName())));
		ctx.register(AutoConfig.class);
		ctx.refresh();
		context = ctx;
		operations = context.getBean(ErlangOperations.class);
		awaitTrue("spring_bridge started on the default peer when it connected",
				"lists:keymember(spring_bridge, 1, application:which_applications())");
		peer.eval("spring_bridge:register_function(add, fun(A, B) -> A + B end)");
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.ImportAutoConfiguration({ ErlangAutoConfiguration.class,
			ErlangBridgeAutoConfiguration.class })
	static class AutoConfig {

	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
	}

	static void awaitTrue(String what, String erlangCondition) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!peer.eval(erlangCondition).equals(new OtpErlangAtom("true"))) {
			assertThat(System.nanoTime()).as(what).isLessThan(deadline);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
		}
	}

	@Test
	void javaCallsAFunctionRegisteredInErlang() {
		assertThat(operations.callFunction("add", 1, 2)).isEqualTo(3L);
		assertThat(operations.callFunction("add", Integer.class, 40, 2)).isEqualTo(42);
		assertThat(operations.callFunction("add@" + peer.nodeName(), 0.5, 1)).isEqualTo(1.5);
		peer.eval("spring_bridge:register_function(<<\"greet\">>, fun(Name) -> <<\"Hi \", Name/binary>> end)");
		assertThat(operations.callFunction("greet", String.class, "Ann")).isEqualTo("Hi Ann");
		peer.eval("spring_bridge:register_function(sorted, lists, sort)");
		assertThat(operations.callFunction("sorted", List.of(3, 1, 2))).isEqualTo(List.of(1L, 2L, 3L));
	}

	@Test
	void castRunsTheFunctionWithoutWaiting() {
		peer.eval("esb_test:start_collector(fn_inbox)");
		// the function tells it started, then waits until it is released
		peer.eval("spring_bridge:register_function(notify, fun(Msg) -> fn_inbox ! {started, self(), Msg}, "
				+ "receive release -> fn_inbox ! {finished, Msg} end, ignored end)");
		CompletableFuture<Void> cast = CompletableFuture.runAsync(() -> operations.castFunction("notify", "hello"));
		assertThat(cast).as("castFunction returns while the function waits").succeedsWithin(Duration.ofSeconds(10));
		assertThat(peer.eval("[{started, P, <<\"hello\">>}] = esb_test:await(fn_inbox, 1, 5000), "
				+ "{esb_test:take_all(fn_inbox), P ! release}")).hasToString("{[],release}");
		assertThat(peer.eval("esb_test:await(fn_inbox, 1, 5000)")).hasToString("[{finished,#Bin<5>}]");
		// a failing cast is logged on the Erlang node, not raised here, and the next cast runs
		peer.eval("esb_test:capture_log(fn_log)");
		try {
			operations.castFunction("no_such_function", 1);
			assertThat(peer.eval("esb_test:await_log(fn_log, [\"spring_bridge: cast of\", \"no_such_function\"], 5000)"))
				.as("the failure logged on %s", peer.nodeName())
				.isInstanceOf(OtpErlangBinary.class);
		}
		finally {
			peer.eval("logger:remove_handler(fn_log)");
		}
		operations.castFunction("notify", "again");
		assertThat(peer.eval("[{started, P, <<\"again\">>}] = esb_test:await(fn_inbox, 1, 5000), P ! release"))
			.hasToString("release");
		assertThat(peer.eval("esb_test:await(fn_inbox, 1, 5000)")).hasToString("[{finished,#Bin<5>}]");
	}

	@Test
	void anUnknownNameIsAClearException() {
		assertThatExceptionOfType(ErlangFunctionNotFoundException.class)
			.isThrownBy(() -> operations.callFunction("no_such_function", 1))
			.withMessage("No function 'no_such_function' is registered with spring_bridge on " + peer.nodeName()
					+ " (register it there with spring_bridge:register_function/2,3,4)")
			.satisfies((ex) -> {
				assertThat(ex.getFunction()).isEqualTo("no_such_function");
				assertThat(ex.getNode()).isEqualTo(peer.nodeName());
			});
	}

	@Test
	void whatTheFunctionRaisesReachesJavaWithClassReasonAndStacktrace() {
		peer.eval("spring_bridge:register_function(fails, fun(Class, Reason) -> erlang:raise(Class, Reason, "
				+ "[{my_module, my_function, 2, [{file, \"my_module.erl\"}, {line, 7}]}]) end)");
		assertThatExceptionOfType(ErlangRemoteException.class)
			.isThrownBy(() -> operations.callFunction("fails", new io.github.erlangspring.convert.Atom("error"),
					Map.of(new io.github.erlangspring.convert.Atom("why"), new io.github.erlangspring.convert.Atom("broken"))))
			.satisfies((ex) -> {
				assertThat(ex).isNotInstanceOf(ErlangFunctionNotFoundException.class);
				assertThat(ex.getErlangClass()).isEqualTo(ErlangClass.ERROR);
				assertThat(ex.getReason()).hasToString("#{why => broken}");
				assertThat(ex.getErlangStacktrace().toString()).contains("my_module");
				assertThat(ex.getMessage()).contains("in my_module:my_function/2 (my_module.erl:7)");
			});
		assertThatExceptionOfType(ErlangRemoteException.class)
			.isThrownBy(() -> operations.callFunction("fails", new io.github.erlangspring.convert.Atom("throw"), 42))
			.satisfies((ex) -> {
				assertThat(ex.getErlangClass()).isEqualTo(ErlangClass.THROW);
				assertThat(ex.getReason()).isEqualTo(new OtpErlangLong(42));
			});
		assertThatExceptionOfType(ErlangRemoteException.class)
			.isThrownBy(() -> operations.callFunction("add", 1))
			.satisfies((ex) -> assertThat(ex.getReason().toString()).startsWith("{badarity,"));
	}

	@Test
	void erlangCallsAJavaFunctionRegisteredByName() {
		peer.eval("spring_bridge:register_function(java_hello, '" + javaNode + "', greeter, hello)");
		assertThat(peer.eval("spring_bridge:call(java_hello, [<<\"Erlang\">>])"))
			.isEqualTo(new OtpErlangBinary("Hello, Erlang!".getBytes()));
		assertThat(operations.callFunction("java_hello", "round trip")).isEqualTo("Hello, round trip!");
		OtpErlangObject failure = peer.eval("try spring_bridge:call(java_hello, [42]) catch error:{exception, R, _} -> R end");
		assertThat(failure).isInstanceOf(OtpErlangTuple.class);
		assertThat(failure.toString()).startsWith("{badarg,");
	}

	@Test
	void withoutSpringBridgeOnTheNodeTheExceptionSaysSo() {
		ErlangPeer bare = erlang.peer().cookie(peer.cookie()).start();
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class, ErlangBridgeAutoConfiguration.class))
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_fn_bare") + "@127.0.0.1",
					"erlang.cookie=" + peer.cookie(), "erlang.default-peer=" + bare.nodeName(),
					"erlang.bridge.auto-load=false")
			.run((ctx) -> {
				assertThat(ctx).doesNotHaveBean(SpringBridgeLoader.class);
				assertThatExceptionOfType(SpringBridgeException.class)
					.isThrownBy(() -> ctx.getBean(ErlangOperations.class).callFunction("add", 1, 2))
					.withMessageContaining("spring_bridge is not loaded on " + bare.nodeName());
				assertThat(bare.eval("code:is_loaded(spring_bridge)")).isEqualTo(new OtpErlangAtom("false"));
			});
	}

}
