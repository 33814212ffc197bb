package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ErlangNodeKeepAliveTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class))
		.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_ka") + "@127.0.0.1",
				"erlang.cookie=" + ErlangPeer.randomCookie());

	@BeforeAll
	static void epmd() {
		ErlangRuntime.ensureEpmd();
	}

	@Test
	void aRunningNodeHoldsANonDaemonThreadUntilTheContextStopsOrCloses() {
		this.runner.run((context) -> {
			Thread thread = keepAliveThread().orElseThrow();
			assertThat(thread.isDaemon()).isFalse();
			ConfigurableApplicationContext running = context.getSourceApplicationContext();
			running.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> !thread.isAlive());
			running.start();
			Thread again = keepAliveThread().orElseThrow();
			assertThat(again).isNotSameAs(thread);
			running.close();
			await().atMost(Duration.ofSeconds(10)).until(() -> !again.isAlive());
		});
	}

	@Test
	void anInterruptDoesNotReleaseIt() {
		this.runner.run((context) -> {
			Thread thread = keepAliveThread().orElseThrow();
			thread.interrupt();
			assertThat(thread.isAlive()).isTrue();
			context.getSourceApplicationContext().close();
			await().atMost(Duration.ofSeconds(10)).until(() -> !thread.isAlive());
		});
	}

	@Test
	void keepAliveFalseStartsNoThread() {
		this.runner.withPropertyValues("erlang.keep-alive=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean("erlangNodeKeepAlive");
			assertThat(keepAliveThread()).isEmpty();
		});
	}

	// Contexts of other test classes (cached @SpringBootTest contexts) may run their own: only the
	// threads that appeared during this test count.
	private final Set<Thread> before = keepAliveThreads();

	private Optional<Thread> keepAliveThread() {
		Set<Thread> now = keepAliveThreads();
		now.removeAll(this.before);
		assertThat(now).hasSizeLessThanOrEqualTo(1);
		return now.stream().findFirst();
	}

	private static Set<Thread> keepAliveThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("erlang-keep-alive") && thread.isAlive())
			.collect(Collectors.toCollection(HashSet::new));
	}

}
