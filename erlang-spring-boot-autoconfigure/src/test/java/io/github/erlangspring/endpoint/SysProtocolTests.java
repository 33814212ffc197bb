package io.github.erlangspring.endpoint;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.annotation.HandleCast;
import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * OTP's {@code sys} protocol against an {@code @ErlangProcess}, from a real {@code erl}:
 * {@code sys:get_state}, {@code sys:get_status}, {@code sys:suspend}/{@code sys:resume} (a
 * suspended process keeps its messages, in order, until resumed), {@code sys:statistics},
 * {@code sys:replace_state} (refused) and {@code sys:terminate}.
 */
class SysProtocolTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class))
		.withBean(Counter.class);

	@BeforeAll
	static void epmd() {
		ErlangRuntime.ensureEpmd();
	}

	@Test
	void sysRequestsFromErlangAreAnsweredAsAGenServerWould() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer peer = erlang.peer().cookie(cookie).start();
		this.runner
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_sys") + "@127.0.0.1",
					"erlang.cookie=" + cookie)
			.run((context) -> {
				ErlangNode node = context.getBean(ErlangNode.class);
				Counter counter = context.getBean(Counter.class);
				String server = "{esb_counter, '" + node.name() + "'}";
				assertThat(peer.eval("gen_server:call(" + server + ", add, 5000)").toString()).isEqualTo("1");

				// get_state: a map with the bean's toString()
				assertThat(peer.eval("binary_to_list(maps:get(state, sys:get_state(" + server + ", 5000)))").toString())
					.contains("Counter[count=1]");
				assertThat(peer.eval("binary_to_list(maps:get(class, sys:get_state(" + server + ", 5000)))").toString())
					.contains(Counter.class.getName());

				// get_status: {status, Pid, {module, Mod}, [PDict, running, Parent, Debug, Misc]}
				assertThat(peer.eval("{status, P, {module, M}, [_, S, _, _, _]} = sys:get_status(" + server
						+ ", 5000), {is_pid(P), M, S}").toString())
					.isEqualTo("{true,'" + Counter.class.getName() + "',running}");

				// suspend: casts wait, in order; calls to sys still answered; resume handles them
				assertThat(peer.eval("sys:suspend(" + server + ", 5000)").toString()).isEqualTo("ok");
				peer.eval("[gen_server:cast(" + server + ", {note, N}) || N <- lists:seq(1, 5)], ok");
				assertThat(peer.eval("lists:nth(2, element(4, sys:get_status(" + server
						+ ", 5000)))").toString()).isEqualTo("suspended");
				assertThat(peer.eval("catch gen_server:call(" + server + ", add, 300)").toString())
					.contains("timeout");
				assertThat(counter.notes).isEmpty();
				assertThat(peer.eval("sys:resume(" + server + ", 5000)").toString()).isEqualTo("ok");
				assertThat(peer.eval("gen_server:call(" + server + ", add, 5000)").toString()).isEqualTo("3");
				assertThat(counter.notes).containsExactly(1L, 2L, 3L, 4L, 5L);

				// statistics
				assertThat(peer.eval("sys:statistics(" + server + ", get, 5000)").toString())
					.isEqualTo("{ok,no_statistics}");
				assertThat(peer.eval("sys:statistics(" + server + ", true, 5000)").toString()).isEqualTo("ok");
				peer.eval("gen_server:call(" + server + ", add, 5000)");
				assertThat(peer.eval("{ok, L} = sys:statistics(" + server + ", get, 5000), "
						+ "proplists:get_value(messages_in, L)").toString()).isEqualTo("1");

				// replace_state: refused with a reason, the process goes on
				assertThat(peer.eval("catch sys:replace_state(" + server + ", fun(S) -> S end, 5000)").toString())
					.contains("not_supported");
				assertThat(peer.eval("gen_server:call(" + server + ", add, 5000)").toString()).isEqualTo("5");

				// terminate: the process exits with the reason; a monitor sees it
				assertThat(peer.eval("Ref = monitor(process, " + server + "), ok = sys:terminate(" + server
						+ ", going, 5000), receive {'DOWN', Ref, process, _, R} -> R after 10000 -> none end")
					.toString()).isEqualTo("going");
				await().until(() -> !node.registeredNames().contains("esb_counter"));
			});
	}

	@ErlangProcess("esb_counter")
	static class Counter {

		private final AtomicInteger count = new AtomicInteger();

		final List<Long> notes = new CopyOnWriteArrayList<>();

		@HandleCall("add")
		int add() {
			return this.count.incrementAndGet();
		}

		@HandleCast("note")
		void note(long n) {
			this.notes.add(n);
		}

		@Override
		public String toString() {
			return "Counter[count=" + this.count.get() + "]";
		}

	}

}
