package io.github.erlangspring.reliability;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpOutputStream;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.SimpleFunctionTable;
import io.github.erlangspring.node.dist.Control;
import io.github.erlangspring.node.dist.DistFlags;
import io.github.erlangspring.node.epmd.EmbeddedEpmd;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where OTP has a rule for what a peer may do, the node follows it: a later handshake replaces a
 * pending one as net_kernel decides, signals from processes of another node than the
 * connection's are rejected as dist.c rejects them, refs cannot be guessed, peer names are
 * validated as dist_util validates them, and the embedded EPMD refuses STOP_REQ as epmd does.
 */
class OtpRulesTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(10);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	@Test
	void anUnauthenticatedClaimToAPeersNameDoesNotKeepThatPeerOut() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		// "a_..." sorts before the peer's "esb_t...": net_kernel lets the later attempt replace
		// the pending one. A long connect timeout: the squatter would hold the name all along.
		ErlangNode target = java.start("a_esb", cookie, (config) -> config.connectTimeout(Duration.ofSeconds(60)));
		target.setFunctionTable(new SimpleFunctionTable().register("esb_rel", "echo", 1, (call) -> call.args().get(0)));
		ErlangPeer real = erlang.peer().cookie(cookie).start();
		try (RawPeer squatter = RawPeer.connect(target)) {
			squatter.write(nameMessage(real.nodeName()));
			// the node answers the name: the squatter's attempt is pending, unauthenticated
			assertThat(readStatus(squatter)).isEqualTo("ok");
			assertThat(real.eval("rpc:call(" + q(target.name()) + ", esb_rel, echo, [hello], 20000)"))
				.isEqualTo(atom("hello"));
			squatter.assertClosedByTheNode(PROMPTLY);
		}
		assertThat(target.connectedNodes()).contains(real.nodeName());
	}

	@Test
	void exitLinkAndMonitorSignalsFromAnotherNodesProcessesAreRejected() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangNode target = java.start(cookie);
		ErlangPeer third = erlang.peer().cookie(cookie).start();
		OtpErlangPid thirdParty = (OtpErlangPid) third.eval("register(esb_third, spawn(fun() -> receive stop -> ok end end)), "
				+ "whereis(esb_third)");
		try (Mailbox victim = target.createMailbox()) {
			victim.link(thirdParty);
			OtpErlangRef monitor = victim.monitor(thirdParty);
			// a spoofed monitor-down from a node that is not the monitored process's: ignored
			try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
				raw.write(controlFrame(Control.monitorExit(thirdParty, victim.self(), monitor, atom("spoofed")), null));
				raw.write(controlFrame(Control.send(victim.self()), atom("marker")));
				assertThat(victim.receive(PROMPTLY)).isEqualTo(atom("marker"));
			}
			// a spoofed exit of the linked process: the connection closes, the victim lives
			try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
				raw.write(controlFrame(Control.exit(thirdParty, victim.self(), atom("kill")), null));
				raw.assertClosedByTheNode(PROMPTLY);
			}
			try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
				raw.write(controlFrame(Control.link(thirdParty, victim.self()), null));
				raw.assertClosedByTheNode(PROMPTLY);
			}
			assertThat(victim.isAlive()).isTrue();
			// the real one still works
			third.eval("esb_third ! stop");
			OtpErlangObject down = victim.receive(PROMPTLY);
			assertThat(down).isInstanceOf(OtpErlangTuple.class);
			assertThat(((OtpErlangTuple) down).elementAt(0)).isEqualTo(atom("DOWN"));
			assertThat(((OtpErlangTuple) down).elementAt(1)).isEqualTo(monitor);
		}
	}

	@Test
	void refsCannotBeGuessedFromTheOnesBefore() {
		ErlangNode node = java.start(ErlangPeer.randomCookie());
		try (Mailbox watcher = node.createMailbox(); Mailbox watched = node.createMailbox()) {
			Set<List<Integer>> highWords = new HashSet<>();
			for (int i = 0; i < 100; i++) {
				int[] ids = watcher.monitor(watched.self()).ids();
				highWords.add(List.of(ids[1], ids[2]));
			}
			// a counter changes only its low word from one ref to the next
			assertThat(highWords).hasSize(100);
		}
	}

	@Test
	void peerNamesAreValidatedAsDistUtilValidatesThem() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangNode target = java.start(cookie);
		for (String name : List.of("a@b@c", "@127.0.0.1", "esb_x@", "esb_x@127.0.0.1\r\nforged log line",
				"esb_x\u0000@127.0.0.1", "esb_" + "x".repeat(300) + "@127.0.0.1", target.name())) {
			try (RawPeer raw = RawPeer.connect(target)) {
				raw.write(nameMessage(name));
				// refused before any answer: no status, no challenge
				raw.socket.setSoTimeout((int) PROMPTLY.toMillis());
				assertThat(raw.socket.getInputStream().read()).as(name).isEqualTo(-1);
			}
		}
		assertThat(target.connectedNodes()).isEmpty();
	}

	@Test
	void theEmbeddedEpmdRefusesStopRequestsAsEpmdDoes() throws Exception {
		try (EmbeddedEpmd epmd = EmbeddedEpmd.start(InetAddress.getLoopbackAddress(), 0)) {
			ErlangPeer node = erlang.peer().epmdPort(epmd.port()).start();
			String alive = node.nodeName().substring(0, node.nodeName().indexOf('@'));
			await().atMost(PROMPTLY).until(() -> epmd.registeredNames().containsKey(alive));
			// the real epmd program as the client, from this (local) host
			Process stop = new ProcessBuilder(epmdExecutable(), "-port", Integer.toString(epmd.port()), "-stop", alive)
				.redirectErrorStream(true)
				.start();
			String output = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(stop.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(output).doesNotContain("STOPPED");
			assertThat(epmd.registeredNames()).containsKey(alive);
			assertThat(node.eval("erl_epmd:port_please(\"" + alive + "\", \"127.0.0.1\")").toString()).startsWith("{port,");
		}
	}

	private static String epmdExecutable() throws Exception {
		Path sibling = ErlangRuntime.erl().toRealPath().resolveSibling("epmd");
		return Files.isExecutable(sibling) ? sibling.toString() : "epmd";
	}

	/** A version 6 name message, with its 2-byte length. */
	static byte[] nameMessage(String node) {
		byte[] name = node.getBytes(StandardCharsets.UTF_8);
		ByteBuffer message = ByteBuffer.allocate(2 + 15 + name.length);
		message.putShort((short) (15 + name.length)).put((byte) 'N').putLong(DistFlags.OURS)
			.putInt(1)
			.putShort((short) name.length)
			.put(name);
		return message.array();
	}

	/** Reads the node's status message (2-byte length, 's', status). */
	static String readStatus(RawPeer raw) throws Exception {
		raw.socket.setSoTimeout((int) PROMPTLY.toMillis());
		InputStream in = raw.socket.getInputStream();
		int length = (in.read() << 8) | in.read();
		byte[] body = in.readNBytes(length);
		return new String(body, 1, body.length - 1, StandardCharsets.ISO_8859_1);
	}

	/** A pass-through frame of a control message and an optional payload. */
	static byte[] controlFrame(OtpErlangTuple control, OtpErlangObject payload) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(112);
		out.write1(131);
		out.write_any(control);
		if (payload != null) {
			out.write1(131);
			out.write_any(payload);
		}
		return RawPeer.frame(out.toByteArray());
	}

}
