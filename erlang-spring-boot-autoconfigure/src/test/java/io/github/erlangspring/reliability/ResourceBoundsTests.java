package io.github.erlangspring.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.SimpleFunctionTable;
import io.github.erlangspring.node.dist.Control;
import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.dist.DistConnection;
import io.github.erlangspring.node.dist.DistFlags;
import io.github.erlangspring.node.dist.Handshake;
import io.github.erlangspring.node.dist.HandshakeException;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.reliability.RawPeer.heapAfterGc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What one peer can make the node hold is bounded: memory by what it actually sent, connections
 * and concurrent calls by limits, and an {@code Error} on a reader ends only that connection.
 */
class ResourceBoundsTests {

	private static final Duration PROMPTLY = Duration.ofSeconds(10);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	@Test
	void aFrameLengthAloneMakesTheNodeAllocateNothing() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		// the default limit: 64 MB frames
		ErlangNode target = java.start(cookie);
		List<RawPeer> peers = new ArrayList<>();
		try {
			long heapBefore = heapAfterGc();
			for (int i = 0; i < 8; i++) {
				RawPeer raw = RawPeer.authenticated(target, cookie);
				peers.add(raw);
				await().atMost(PROMPTLY).until(() -> target.connectedNodes().contains(raw.name));
				// a frame of 64 MB announced, one byte of it sent, and then nothing
				raw.write(ByteBuffer.allocate(5).putInt(64 * 1024 * 1024).put((byte) 112).array());
			}
			// Nothing tells when a reader took in the 5 bytes, but each took them in microseconds
			// after the write, while the next peer connected (a handshake and a poll later): all
			// but the last surely did, and 7 x 64 MB would still be far over the bound.
			long kept = heapAfterGc() - heapBefore;
			// 8 x 64 MB before the fix; now at most 64 KB each
			assertThat(kept).as("heap kept by 8 announced 64 MB frames").isLessThan(48L * 1024 * 1024);
		}
		finally {
			for (RawPeer raw : peers) {
				raw.close();
			}
		}
	}

	@Test
	void aMapOfAtomKeysMadeToCollideIsRefusedBeforeDecoding() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangNode target = java.start(cookie);
		try (Mailbox inbox = target.createMailbox("esb_rel_hash")) {
			// "Aa" and "BB" have the same String hash, and so has every string of 12 such blocks
			List<String> colliding = new ArrayList<>();
			for (int i = 0; i < 4096; i++) {
				StringBuilder key = new StringBuilder();
				for (int bit = 0; bit < 12; bit++) {
					key.append(((i >> bit) & 1) == 0 ? "Aa" : "BB");
				}
				colliding.add(key.toString());
			}
			List<String> ordinary = new ArrayList<>();
			for (int i = 0; i < 4096; i++) {
				ordinary.add("key_" + i);
			}
			try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
				raw.write(RawPeer.regSend(raw.pid(), RawPeer.utf8Atom("esb_rel_hash"), atomKeyedMap(ordinary)));
				OtpErlangObject delivered = inbox.receive(PROMPTLY);
				assertThat(delivered).isInstanceOf(OtpErlangMap.class);
				raw.write(RawPeer.regSend(raw.pid(), RawPeer.utf8Atom("esb_rel_hash"), atomKeyedMap(colliding)));
				raw.assertClosedByTheNode(PROMPTLY);
			}
			assertThat(inbox.queueSize()).isZero();
		}
	}

	/** {@code #{Key => 1}} for each key, as raw term bytes. */
	private static byte[] atomKeyedMap(List<String> keys) {
		ByteBuffer map = ByteBuffer.allocate(5 + keys.size() * 260);
		map.put((byte) 116).putInt(keys.size());
		for (String key : keys) {
			byte[] text = key.getBytes(StandardCharsets.UTF_8);
			map.put((byte) 119).put((byte) text.length).put(text).put((byte) 97).put((byte) 1);
		}
		return Arrays.copyOf(map.array(), map.position());
	}

	@Test
	void connectionsBeyondTheLimitAreRefused() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangNode target = java.start(cookie, (config) -> config.maxConnections(2));
		try (RawPeer first = RawPeer.authenticated(target, cookie); RawPeer second = RawPeer.authenticated(target, cookie)) {
			await().atMost(PROMPTLY).until(() -> target.connectedNodes().size() == 2);
			assertThatExceptionOfType(HandshakeException.class)
				.isThrownBy(() -> RawPeer.authenticated(target, cookie).close())
				.withMessageContaining("does not allow");
			ErlangPeer real = erlang.peer().cookie(cookie).start();
			assertThat(real.eval("net_adm:ping(" + q(target.name()) + ")")).isEqualTo(atom("pang"));
		}
		// room again once one goes
		ErlangPeer later = erlang.peer().cookie(cookie).start();
		await().atMost(PROMPTLY).until(() -> target.connectedNodes().size() < 2);
		assertThat(later.eval("net_adm:ping(" + q(target.name()) + ")")).isEqualTo(atom("pong"));
	}

	@Test
	void callsBeyondTheLimitAreRefusedWithSystemLimit() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger running = new AtomicInteger();
		// the default path: calls run on the connection's reader threads
		ErlangNode target = java.start(cookie, (config) -> config.maxConcurrentCalls(4));
		target.setFunctionTable(new SimpleFunctionTable().register("esb_rel", "block", 0, (call) -> {
			running.incrementAndGet();
			release.await(30, TimeUnit.SECONDS);
			return atom("done");
		}));
		ErlangPeer peer = erlang.peer().cookie(cookie).start();
		// a collector, since each eval may run in a process of its own
		peer.eval("register(esb_collector, spawn(fun() -> (fun Loop(Acc) -> receive {esb_call, R} -> Loop([R | Acc]); "
				+ "{get, From, N} when length(Acc) >= N -> From ! {esb_results, Acc}, Loop(Acc) end end)([]) end)), "
				+ "[spawn(fun() -> R = try erpc:call(" + q(target.name()) + ", esb_rel, block, [], 30000) "
				+ "catch C:E -> {C, E} end, esb_collector ! {esb_call, R} end) || _ <- lists:seq(1, 10)], ok");
		await().atMost(PROMPTLY).until(() -> running.get() >= 4);
		// the six refused come back at once, while the four still run
		OtpErlangList refused = (OtpErlangList) peer
			.eval("esb_collector ! {get, self(), 6}, receive {esb_results, Rs} -> Rs after 20000 -> timeout end");
		release.countDown();
		OtpErlangList all = (OtpErlangList) peer
			.eval("esb_collector ! {get, self(), 10}, receive {esb_results, Rs} -> Rs after 20000 -> timeout end");
		for (OtpErlangObject result : refused) {
			assertThat(result.toString()).isEqualTo("{error,{erpc,system_limit}}");
		}
		assertThat(all.elements()).filteredOn((result) -> result.equals(atom("done"))).hasSize(4);
		assertThat(running.get()).isEqualTo(4);
	}

	@Test
	void anErrorOnAReaderClosesThatConnection() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
				Socket accepted = server.accept()) {
			DistConnection connection = new DistConnection(accepted,
					new Handshake.Peer("esb_err@127.0.0.1", DistFlags.OURS, 1),
					new DistConnection.Settings(1024 * 1024, 16, Duration.ofSeconds(5), Duration.ofSeconds(60)));
			AtomicReference<String> closed = new AtomicReference<>();
			connection.start(new DistConnection.Listener() {

				@Override
				public void received(DistConnection c, OtpErlangTuple control, OtpErlangObject payload) {
					throw new SimulatedError();
				}

				@Override
				public void closed(DistConnection c, DisconnectReason reason) {
					closed.set(reason.toString());
				}

			});
			client.getOutputStream().write(OtpRulesTests.controlFrame(Control.send(
					new OtpErlangPid("esb_j@127.0.0.1", 1, 0, 1)), atom("hello")));
			client.setSoTimeout((int) PROMPTLY.toMillis());
			assertThat(client.getInputStream().read()).isEqualTo(-1);
			await().atMost(PROMPTLY).until(() -> closed.get() != null);
			assertThat(closed.get()).contains("SimulatedError");
			assertThat(connection.isOpen()).isFalse();
		}
	}

	/** An {@code Error}, as an out-of-memory one would be, without alarming the test runner. */
	static final class SimulatedError extends Error {

		SimulatedError() {
			super("simulated");
		}

	}

}
