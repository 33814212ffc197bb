package io.github.erlangspring.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.ericsson.otp.erlang.OtpErlangObject;
import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.convert.ErlangStruct;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.state.StateOperations;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Elixir node (Debian's elixir, running on the peer's BEAM) using the application the way
 * docs/elixir.md shows: GenServer.call, :erpc.call with structs, keyword lists and charlists,
 * spring_state with nil, and :pg.
 */
class ElixirInteropTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer elixir;

	static ConfigurableApplicationContext app;

	static String javaNode;

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		elixir = erlang.peer().codePath(elixirEbin()).args("-kernel", "start_pg", "true").start();
		assertThat(elixir.eval("{ok, _} = application:ensure_all_started(elixir), ok")).hasToString("ok");
		javaNode = ErlangPeer.uniqueAlive("esb_ex") + "@127.0.0.1";
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.registerBean(Shop.class);
		context.registerBean(Counter.class);
		context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("test", Map.of("erlang.node", javaNode, "erlang.cookie", elixir.cookie(),
					"erlang.connect", elixir.nodeName(), "erlang.conversion.null-atom", "nil")));
		context.register(AutoConfig.class);
		context.refresh();
		app = context;
		await().atMost(Duration.ofSeconds(30))
			.until(() -> app.getBean(ErlangNode.class).connectedNodes().contains(elixir.nodeName()));
		ex("defmodule Shop.Order do\n  defstruct [:id, :item, :note]\nend");
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ErlangAutoConfiguration.class, ErlangPubSubAutoConfiguration.class,
			ErlangStateAutoConfiguration.class })
	static class AutoConfig {

	}

	/** Evaluates Elixir code on the Elixir node; the result as Erlang sees it. */
	static OtpErlangObject ex(String code) {
		String escaped = code.replace("\\", "\\\\").replace("\"", "\\\"");
		return elixir.eval("element(1, 'Elixir.Code':eval_string(<<\"" + escaped + "\">>))", Duration.ofSeconds(30));
	}

	/** Elixir code that names the Java node as an atom. */
	static String node() {
		return ":\"" + javaNode + "\"";
	}

	static Path elixirEbin() {
		String path = System.getenv("PATH");
		for (String dir : (path != null) ? path.split(java.io.File.pathSeparator) : new String[0]) {
			Path candidate = Path.of(dir, "elixir");
			if (Files.isExecutable(candidate)) {
				try {
					Path ebin = candidate.toRealPath().getParent().resolve("../lib/elixir/ebin").normalize();
					if (Files.isRegularFile(ebin.resolve("elixir.app"))) {
						return ebin;
					}
				}
				catch (IOException ex) {
					// try the next one
				}
			}
		}
		throw new IllegalStateException("Elixir is required by these tests and was not found ('elixir' on the PATH "
				+ "with its lib/elixir/ebin): run scripts/setup, or install it (Debian: apt-get install elixir)");
	}

	@Test
	void genServerCallReachesAJavaProcess() {
		assertThat(ex("GenServer.call({:counter, " + node() + "}, :incr) == 1 and "
				+ "GenServer.call({:counter, " + node() + "}, {:add, 41}) == 42")).hasToString("true");
	}

	@Test
	void structsTravelBothWaysAndNilIsNull() {
		assertThat(ex(":erpc.call(" + node() + ", :shop, :echo, [%Shop.Order{id: 1, item: \"tea\"}]) == "
				+ "%Shop.Order{id: 2, item: \"tea!\", note: nil}")).hasToString("true");
		// a struct of another module is refused as a bad argument naming the expected struct
		assertThat(ex("try do\n  :erpc.call(" + node() + ", :shop, :echo, [%{__struct__: Shop.User, id: 1}])\n"
				+ "rescue\n  e in ErlangError ->\n    {:exception, {:badarg, %{argument: 1, reason: reason}}, _} = e.original\n"
				+ "    String.contains?(reason, \"%Shop.Order{}\") and String.contains?(reason, \"Shop.User\")\nend"))
			.hasToString("true");
	}

	@Test
	void keywordListsArriveAsOrderedMapsAndCharlistsAsStrings() {
		assertThat(ex(":erpc.call(" + node() + ", :shop, :describe, [[retries: 3, mode: :fast]]) == \"retries=3,mode=fast\""))
			.hasToString("true");
		assertThat(ex(":erpc.call(" + node() + ", :shop, :hello, ['World']) == \"Hello, World\" and "
				+ ":erpc.call(" + node() + ", :shop, :hello, [\"Elixir\"]) == \"Hello, Elixir\"")).hasToString("true");
	}

	@Test
	void stateStoredAsNilFromElixirReadsAsNullInJava() {
		StateOperations state = app.getBean(StateOperations.class);
		state.set("page_views", 5L);
		assertThat(ex(":erpc.call(" + node() + ", :spring_state, :set, [\"page_views\", nil])")).hasToString("ok");
		assertThat(state.get("page_views", Long.class)).isNull();
		state.set("visitor", null);
		assertThat(ex(":erpc.call(" + node() + ", :spring_state, :get, [\"visitor\"]) == nil")).hasToString("true");
	}

	@Test
	void anElixirPgMemberReceivesWhatJavaPublishes() {
		assertThat(ex("""
				parent = self()
				spawn(fn ->
				  :ok = :pg.join("elixir_news", self())
				  Process.register(self(), :elixir_news)
				  send(parent, :joined)
				  receive do
				    message -> receive do {:get, from} -> send(from, message) end
				  end
				end)
				receive do :joined -> :ok after 5000 -> :timeout end""")).hasToString("ok");
		PubSubOperations pubSub = app.getBean(PubSubOperations.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> pubSub.members("elixir_news").size() == 1);
		assertThat(pubSub.publish("elixir_news", "hello elixir")).isEqualTo(1);
		assertThat(ex("""
				send(:elixir_news, {:get, self()})
				receive do
				  message -> message == {:pubsub, "elixir_news", "hello elixir"}
				after 5000 -> :timeout
				end""")).hasToString("true");
	}

	@ErlangStruct("Shop.Order")
	public record Order(long id, String item, String note) {
	}

	@ErlangRpc(module = "shop")
	static class Shop {

		@ErlangRpc
		Order echo(Order order) {
			return new Order(order.id() + 1, order.item() + "!", order.note());
		}

		@ErlangRpc
		String describe(Map<String, Object> options) {
			return options.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + entry.getValue())
				.collect(Collectors.joining(","));
		}

		@ErlangRpc
		String hello(String name) {
			return "Hello, " + name;
		}

	}

	@ErlangProcess("counter")
	static class Counter {

		private long value;

		@HandleCall("incr")
		long incr() {
			return ++this.value;
		}

		@HandleCall("add")
		long add(long delta) {
			this.value += delta;
			return this.value;
		}

	}

}
