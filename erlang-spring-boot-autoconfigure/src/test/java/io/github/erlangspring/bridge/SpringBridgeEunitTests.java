package io.github.erlangspring.bridge;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs spring_bridge's EUnit suite (src/test/erlang/spring_bridge_tests.erl) on a real node
 * with the modules and .app this module ships, so its failures fail the build. EUnit's verbose
 * report (one line per test, and the count) is in the test log.
 */
class SpringBridgeEunitTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static Path shippedEbin() throws URISyntaxException {
		URL app = SpringBridgeEunitTests.class.getClassLoader().getResource("erlang/ebin/spring_bridge.app");
		assertThat(app).as("spring_bridge.app on the classpath").isNotNull();
		return Path.of(app.toURI()).getParent();
	}

	@Test
	void eunitSuitePasses() throws Exception {
		ErlangPeer peer = erlang.peer().codePath(shippedEbin()).start();
		assertThat(peer.eval("eunit:test(spring_bridge_tests, [verbose])")).isEqualTo(new OtpErlangAtom("ok"));
	}

}
