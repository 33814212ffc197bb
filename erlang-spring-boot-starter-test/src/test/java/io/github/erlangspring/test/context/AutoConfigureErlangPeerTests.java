package io.github.erlangspring.test.context;

import com.ericsson.otp.erlang.OtpErlangBinary;
import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @SpringBootTest} with {@link AutoConfigureErlangPeer}: the application's node and a
 * real Erlang peer, connected, calling each other.
 */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureErlangPeer
class AutoConfigureErlangPeerTests {

	@Autowired
	ErlangPeer peer;

	@Autowired
	ErlangNode node;

	@Autowired
	ErlangOperations erlang;

	@Test
	void theApplicationNodeHasAUniqueNameAndTheCookieOfThePeer() {
		assertThat(this.node.isRunning()).isTrue();
		assertThat(this.node.name()).startsWith("app").endsWith("@127.0.0.1");
		assertThat(this.peer.eval("erlang:get_cookie()").toString()).isNotBlank();
	}

	@Test
	void erlangCallsTheApplication() {
		assertThat(this.peer.eval("rpc:call('" + this.node.name() + "', greeter, hello, [<<\"peer\">>])"))
			.isEqualTo(new OtpErlangBinary("Hello, peer!".getBytes()));
		assertThat(this.peer.eval("gen_server:call({counter, '" + this.node.name() + "'}, incr)").toString())
			.matches("\\d+");
	}

	@Test
	void theApplicationCallsThePeerByDefault() {
		this.peer.eval("register(esb_echo, spawn(fun Loop() -> receive {'$gen_call', From, Req} -> "
				+ "gen_server:reply(From, Req), Loop() end end))");
		assertThat(this.erlang.call("esb_echo", "hi", String.class)).isEqualTo("hi");
		assertThat(this.erlang.nodes()).contains(this.peer.nodeName());
	}

}
