package io.github.erlangspring.reliability;

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

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code erlang.allow}, as {@code net_kernel:allow/1}: only the nodes listed (by node name, host
 * or name before the {@code @}) connect in; the others are refused in the handshake, cookie or not.
 */
class AllowedNodesTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class));

	@BeforeAll
	static void epmd() {
		ErlangRuntime.ensureEpmd();
	}

	@Test
	void onlyListedNodesConnect() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer allowed = erlang.peer().cookie(cookie).start();
		ErlangPeer byName = erlang.peer().cookie(cookie).start();
		ErlangPeer other = erlang.peer().cookie(cookie).start();
		String byNameEntry = byName.nodeName().substring(0, byName.nodeName().indexOf('@') + 1);
		this.runner
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_allow") + "@127.0.0.1",
					"erlang.cookie=" + cookie, "erlang.allow=" + allowed.nodeName() + "," + byNameEntry)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				String node = context.getBean(ErlangNode.class).name();
				assertThat(allowed.eval("net_adm:ping(" + q(node) + ")")).isEqualTo(atom("pong"));
				assertThat(byName.eval("net_adm:ping(" + q(node) + ")")).isEqualTo(atom("pong"));
				assertThat(other.eval("net_adm:ping(" + q(node) + ")")).isEqualTo(atom("pang"));
				assertThat(context.getBean(ErlangNode.class).connectedNodes()).doesNotContain(other.nodeName());
			});
	}

	@Test
	void aHostEntryAllowsEveryNodeOnThatHost() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer peer = erlang.peer().cookie(cookie).start();
		this.runner
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_allow") + "@127.0.0.1",
					"erlang.cookie=" + cookie, "erlang.allow=127.0.0.1")
			.run((context) -> assertThat(
					peer.eval("net_adm:ping(" + q(context.getBean(ErlangNode.class).name()) + ")"))
				.isEqualTo(atom("pong")));
	}

	@Test
	void invalidEntriesAndLimitsFailStartUp() {
		for (String property : new String[] { "erlang.allow=a@b@c", "erlang.limits.max-connections=0",
				"erlang.limits.max-pending-handshakes=0", "erlang.limits.max-concurrent-calls=-1" }) {
			this.runner
				.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_allow") + "@127.0.0.1",
						"erlang.cookie=" + ErlangPeer.randomCookie(), property)
				.run((context) -> {
					assertThat(context).as(property).hasFailed();
					assertThat(context.getStartupFailure()).as(property)
						.hasStackTraceContaining("Invalid Erlang node settings");
				});
		}
	}

}
