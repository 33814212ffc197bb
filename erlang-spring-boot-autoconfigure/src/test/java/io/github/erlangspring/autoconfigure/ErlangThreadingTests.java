package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.ErlangSubscribe;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.pubsub.PubSubTemplate;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which threads run the work Erlang gives the application: with
 * {@code spring.threads.virtual.enabled=true} on Java 21+ RPC functions, concurrent and
 * single-threaded {@code @ErlangProcess} handlers and {@code @ErlangSubscribe} methods run on
 * virtual threads, on platform threads otherwise; either way at most 1024 calls into Java run at
 * once and the next gets {@code system_limit}.
 * <p>
 * The build runs this class twice: on the JDK running Maven, and on a Java 21+ JDK
 * ({@code java21.home}) with {@code erlang.test.expect-virtual-threads=true}.
 */
class ErlangThreadingTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class, ErlangPubSubAutoConfiguration.class))
		.withBean(Probe.class)
		.withBean(ConcurrentProcess.class)
		.withBean(SerialProcess.class)
		.withBean(Subscriber.class);

	private static boolean javaHasVirtualThreads() {
		return Runtime.version().feature() >= 21;
	}

	@Test
	void theJvmOfThisRunIsTheOneTheBuildAskedFor() {
		if (Boolean.getBoolean("erlang.test.expect-virtual-threads")) {
			assertThat(Runtime.version().feature()).as("Java version of the virtual-threads run").isGreaterThanOrEqualTo(21);
		}
	}

	@Test
	void withVirtualThreadsEnabledErlangWorkRunsOnVirtualThreadsWhereJavaHasThem() {
		ErlangPeer peer = erlang.start();
		runWith(peer, true, javaHasVirtualThreads());
	}

	@Test
	void withoutVirtualThreadsErlangWorkRunsOnPlatformThreads() {
		ErlangPeer peer = erlang.start();
		runWith(peer, false, false);
	}

	private void runWith(ErlangPeer peer, boolean enabled, boolean expectVirtual) {
		ErlangRuntime.ensureEpmd();
		String node = ErlangPeer.uniqueAlive("esb_threads") + "@127.0.0.1";
		this.runner
			.withPropertyValues("erlang.node=" + node, "erlang.cookie=" + peer.cookie(),
					"spring.threads.virtual.enabled=" + enabled)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String q = "'" + node + "'";
				assertThat(peer.eval("rpc:call(" + q + ", esb_threads, is_virtual, [])"))
					.as("@ErlangRpc on a virtual thread")
					.hasToString(String.valueOf(expectVirtual));
				assertThat(peer.eval("erpc:call(" + q + ", esb_threads, is_virtual, [])")).hasToString(String.valueOf(expectVirtual));
				assertThat(peer.eval("gen_server:call({esb_threads_concurrent, " + q + "}, is_virtual)"))
					.as("concurrent @ErlangProcess handler on a virtual thread")
					.hasToString(String.valueOf(expectVirtual));
				assertThat(peer.eval("gen_server:call({esb_threads_serial, " + q + "}, is_virtual)"))
					.as("@ErlangProcess loop on a virtual thread")
					.hasToString(String.valueOf(expectVirtual));
				context.getBean(PubSubTemplate.class).publish("esb_threads", "hello");
				Subscriber subscriber = context.getBean(Subscriber.class);
				assertThat(subscriber.virtual.await(20, TimeUnit.SECONDS)).isTrue();
				assertThat(subscriber.seen).as("@ErlangSubscribe on a virtual thread").containsExactly(expectVirtual);
			});
	}

	@Test
	void noMoreThan1024CallsRunInJavaAtOnceWhicheverThreadsRunThem() {
		ErlangPeer peer = erlang.start();
		ErlangRuntime.ensureEpmd();
		String node = ErlangPeer.uniqueAlive("esb_limit") + "@127.0.0.1";
		this.runner
			.withPropertyValues("erlang.node=" + node, "erlang.cookie=" + peer.cookie(),
					"spring.threads.virtual.enabled=true")
			.run((context) -> {
				Probe probe = context.getBean(Probe.class);
				String q = "'" + node + "'";
				// 1100 Erlang processes call a Java function that blocks until released
				peer.eval("Parent = self(), Pids = [spawn(fun() -> R = try erpc:call(" + q
						+ ", esb_threads, block, [], 60000) catch error:{erpc, E} -> E end, "
						+ "persistent_term:put({esb_limit, N}, R) end) || N <- lists:seq(1, 1100)], ok");
				await().atMost(Duration.ofSeconds(60))
					.untilAsserted(() -> assertThat(peer.eval("lists:foldl(fun(N, Acc) -> R = persistent_term:get("
							+ "{esb_limit, N}, none), maps:update_with(R, fun(C) -> C + 1 end, 1, Acc) end, #{}, "
							+ "lists:seq(1, 1100))") + " blocked " + probe.blocked.get())
						.isEqualTo("#{none => 1024,system_limit => 76} blocked 1024"));
				assertThat(probe.blocked.get()).as("calls running in Java").isEqualTo(1024);
				assertThat(peer.eval("catch erpc:call(" + q + ", esb_threads, is_virtual, [], 5000)").toString())
					.contains("system_limit");
				probe.release.countDown();
				await().atMost(Duration.ofSeconds(60)).until(() -> peer.eval("length([N || N <- lists:seq(1, 1100), "
						+ "persistent_term:get({esb_limit, N}, none) =:= <<\"ok\">>])").toString().equals("1024"));
				assertThat(peer.eval("erpc:call(" + q + ", esb_threads, is_virtual, [], 5000)").toString())
					.isEqualTo(String.valueOf(javaHasVirtualThreads()));
				assertThat(context.getBean(ErlangNode.class).isRunning()).isTrue();
			});
	}

	static boolean isVirtual() {
		try {
			return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@ErlangRpc(module = "esb_threads")
	static class Probe {

		final AtomicInteger blocked = new AtomicInteger();

		final CountDownLatch release = new CountDownLatch(1);

		@ErlangRpc(function = "is_virtual")
		boolean isVirtualThread() {
			return isVirtual();
		}

		@ErlangRpc
		String block() throws InterruptedException {
			this.blocked.incrementAndGet();
			this.release.await();
			return "ok";
		}

	}

	@ErlangProcess(value = "esb_threads_concurrent", concurrency = "4")
	static class ConcurrentProcess {

		@HandleCall("is_virtual")
		boolean isVirtualThread() {
			return isVirtual();
		}

	}

	@ErlangProcess("esb_threads_serial")
	static class SerialProcess {

		@HandleCall("is_virtual")
		boolean isVirtualThread() {
			return isVirtual();
		}

	}

	static class Subscriber {

		final java.util.List<Boolean> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

		final CountDownLatch virtual = new CountDownLatch(1);

		@ErlangSubscribe("esb_threads")
		void onMessage(String message) {
			this.seen.add(isVirtual());
			this.virtual.countDown();
		}

	}

}
