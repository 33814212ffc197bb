package io.github.erlangspring.reliability;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.annotation.HandleInfo;
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

import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An {@code Error} in an {@code @ErlangProcess} handler crashes that process as it would crash
 * an Erlang one: the caller's monitor sees the exit reason, the name is free, nothing stays
 * behind as a deaf mailbox. An exception that escapes a handler (a reply that cannot be
 * converted) fails that call only.
 */
class ProcessCrashTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class))
		.withBean(Crashy.class);

	@BeforeAll
	static void epmd() {
		ErlangRuntime.ensureEpmd();
	}

	@Test
	void anErrorInAHandlerCrashesTheProcessForItsCallerAndFreesTheName() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer peer = erlang.peer().cookie(cookie).start();
		this.runner
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_crash") + "@127.0.0.1",
					"erlang.cookie=" + cookie)
			.run((context) -> {
				ErlangNode node = context.getBean(ErlangNode.class);
				String server = "{esb_crashy, " + q(node.name()) + "}";
				// a reply that cannot be converted fails that call, and the process goes on
				assertThat(peer.eval("catch gen_server:call(" + server + ", unconvertible, 5000)").toString())
					.doesNotContain("timeout");
				assertThat(peer.eval("binary_to_list(gen_server:call(" + server + ", ping, 5000))").toString()).contains("pong");
				// an Error: the call's monitor sees the process exit with it
				String exit = peer.eval("catch gen_server:call(" + server + ", boom, 5000)").toString();
				assertThat(exit).contains("SimulatedError").doesNotContain("timeout");
				await().until(() -> !node.registeredNames().contains("esb_crashy"));
			});
	}

	@ErlangProcess("esb_crashy")
	static class Crashy {

		@HandleCall("ping")
		String ping() {
			return "pong";
		}

		@HandleCall("boom")
		String boom() {
			throw new ResourceBoundsTests.SimulatedError();
		}

		@HandleCall("unconvertible")
		Object unconvertible() {
			return new Object();
		}

		@HandleInfo
		void info(Object message) {
		}

	}

}
