package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's reader runs the process its burst activated itself (no thread woken for it),
 * and hands reading to another thread when the process blocks, from a real {@code erl}: a
 * handler that waits for something only a later message on the same connection brings, and a
 * handler that calls back over the connection it was called on, both get what they wait for.
 */
class InlineActivationTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	static ErlangPeer peer;

	static ErlangNode node;

	@BeforeAll
	static void startNodes() {
		peer = erlang.start();
		node = java.start(peer);
	}

	private static String server(String name, GenServer behaviour) {
		node.spawn(new GenServerProcess(behaviour), SpawnOptions.DEFAULT.withName(name));
		return "{" + name + ", " + q(node.name()) + "}";
	}

	@Test
	void aHandlerThatBlocksLeavesTheConnectionReadByAnotherThread() {
		CountDownLatch released = new CountDownLatch(1);
		// waits without telling anyone (no reply awaited through the node): only the check of
		// readers running long lets the release below be read at all
		String blocker = server("esb_inline_blocker", (self, request, from) -> {
			// {wait, Pid}: tells Pid it blocks, then blocks
			self.send((OtpErlangPid) ((OtpErlangTuple) request).elementAt(1), atom("blocking"));
			try {
				return GenResult.reply(released.await(30, TimeUnit.SECONDS) ? atom("released") : atom("still_blocked"));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return GenResult.reply(atom("interrupted"));
			}
		});
		String releaser = server("esb_inline_releaser", (self, request, from) -> {
			released.countDown();
			return GenResult.reply(atom("ok"));
		});
		assertThat(peer.eval("Self = self(), spawn(fun() -> Self ! {blocker, gen_server:call(" + blocker
				+ ", {wait, Self}, 40000)} end), receive blocking -> ok after 10000 -> exit(never_blocked) end, "
				+ "Released = gen_server:call(" + releaser + ", release, 5000), "
				+ "receive {blocker, R} -> {Released, R} after 10000 -> timeout end",
				Duration.ofSeconds(45)))
			.isEqualTo(tuple(atom("ok"), atom("released")));
	}

	@Test
	void aHandlerThatCallsBackOverItsOwnConnectionGetsTheReply() {
		String caller = server("esb_inline_caller", (self, request, from) -> {
			OtpErlangObject answer = ErlangFutures.await(
					node.rpc(peer.nodeName(), "erlang", "list_to_atom", new OtpErlangList(new OtpErlangObject[] {
							new OtpErlangString("called_back") }), Duration.ofSeconds(5)),
					Duration.ofSeconds(5), "the call back");
			return GenResult.reply(answer);
		});
		for (int i = 0; i < 50; i++) {
			assertThat(peer.eval("gen_server:call(" + caller + ", go, 5000)")).isEqualTo(atom("called_back"));
		}
	}

}
