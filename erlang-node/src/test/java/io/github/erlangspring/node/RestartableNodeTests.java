package io.github.erlangspring.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.ericsson.otp.erlang.OtpErlangBinary;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * A node from {@link ErlangNode#create(NodeConfig)}: nothing runs until {@code start()}; it stops
 * and starts again, each time a new incarnation that Erlang reaches by name, with the function
 * table and listeners set before.
 */
class RestartableNodeTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@Test
	void aCreatedNodeStartsStopsAndStartsAgain() throws Exception {
		ErlangRuntime.ensureEpmd();
		ErlangPeer peer = erlang.start();
		String name = ErlangPeer.uniqueAlive("esb_restartable") + "@127.0.0.1";
		ErlangNode node = ErlangNode.create(NodeConfig.builder(name).cookie(peer.cookie()).build());
		List<String> ups = new CopyOnWriteArrayList<>();
		node.addNodeListener(new NodeListener() {

			@Override
			public void nodeUp(String other, boolean hidden) {
				ups.add(other);
			}

		});
		node.setFunctionTable(new SimpleFunctionTable().register("esb_rs", "hello", 0,
				(call) -> new OtpErlangBinary("hi".getBytes())));
		assertThat(node.isRunning()).isFalse();
		assertThat(node.name()).isEqualTo(name);
		assertThatIllegalStateException().isThrownBy(node::createMailbox);
		try {
			int previous = -1;
			for (int round = 1; round <= 3; round++) {
				node.start();
				assertThat(node.isRunning()).isTrue();
				assertThat(node.creation()).isNotEqualTo(previous);
				previous = node.creation();
				assertThat(peer.eval("erpc:call('" + name + "', esb_rs, hello, [], 5000)"))
					.isEqualTo(new OtpErlangBinary("hi".getBytes()));
				int expected = round;
				await().atMost(Duration.ofSeconds(10)).until(() -> ups.size() == expected);
				node.close(Duration.ofSeconds(1));
				assertThat(node.isRunning()).isFalse();
				assertThat(peer.eval("try erpc:call('" + name + "', esb_rs, hello, [], 5000) catch error:{erpc, R} -> R end"))
					.hasToString("noconnection");
			}
		}
		finally {
			node.close();
		}
	}

}
