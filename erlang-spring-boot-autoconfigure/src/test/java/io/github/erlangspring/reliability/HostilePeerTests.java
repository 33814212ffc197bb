package io.github.erlangspring.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.NodeObserver;
import io.github.erlangspring.node.SimpleFunctionTable;
import io.github.erlangspring.node.dist.DistFlags;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.reliability.RawPeer.bytes;
import static io.github.erlangspring.reliability.RawPeer.frame;
import static io.github.erlangspring.reliability.RawPeer.heapAfterGc;
import static io.github.erlangspring.reliability.RawPeer.regSend;
import static io.github.erlangspring.reliability.RawPeer.term;
import static io.github.erlangspring.reliability.RawPeer.utf8Atom;
import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.reliability.Terms.longValue;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Peers that do not follow the protocol: bytes at random before and during the handshake, silent
 * and half-sent frames, terms whose lengths lie, atoms past Erlang's limit, floods of distinct
 * atoms. The node refuses each one on its own connection, stays up, keeps its memory, and an
 * Erlang node calling it all along never notices.
 */
class HostilePeerTests {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration PROMPTLY = Duration.ofSeconds(5);

	/** Heap a test may leave behind after a full collection. */
	private static final long HEAP_SLACK = 48L * 1024 * 1024;

	/**
	 * What refusing one lying frame of a few bytes may allocate on the reader thread: its buffers
	 * and the exception, with room to spare; a decoder that believed a length would allocate
	 * hundreds of megabytes.
	 */
	private static final long ALLOCATION_LIMIT = 16L * 1024 * 1024;

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	static final String cookie = ErlangPeer.randomCookie();

	/** The sender named in frames: who sends does not matter to the node. */
	static final OtpErlangPid SENDER = new OtpErlangPid("esb_raw@127.0.0.1", 1, 0, 1);

	static ErlangNode target;

	static ErlangPeer steady;

	private long steadyOkBefore;

	/** What each refusing reader thread had allocated when it refused a frame, by peer. */
	static final Map<String, long[]> allocatedWhenRefused = new ConcurrentHashMap<>();

	@BeforeAll
	static void startNodes() {
		target = java.start(cookie, (config) -> config.connectTimeout(CONNECT_TIMEOUT)
			.maxFrameSize(1024 * 1024)
			.addObserver(new NodeObserver() {
				@Override
				public void malformedFrame(String node, String reason) {
					// called by the connection's reader thread as it refuses the frame
					allocatedWhenRefused.put(node, new long[] { Thread.currentThread().getId(), allocatedBy(Thread.currentThread()) });
				}
			}));
		target.setFunctionTable(new SimpleFunctionTable().register("esb_rel", "echo", 1, (call) -> call.args().get(0)));
		steady = erlang.peer().cookie(cookie).start();
	}

	/** An Erlang node calls the Java node throughout each test: it must never see a failure. */
	@BeforeEach
	void startSteadyLoad() {
		steady.eval("esb_reliability:start_callers({erpc, " + q(target.name()) + ", esb_rel, echo}, 2, 5000, steady)");
		await().atMost(PROMPTLY).until(() -> steadyProgress()[0] > 10);
	}

	@AfterEach
	void steadyLoadNeverFailed() {
		long okNow = steadyProgress()[0];
		await().atMost(PROMPTLY).until(() -> steadyProgress()[0] > okNow + 10);
		OtpErlangObject stats = steady.eval("esb_reliability:stop_callers(steady, 10000)");
		assertThat(Terms.count(stats, "made")).as("%s", stats).isEqualTo(Terms.count(stats, "ok"));
		// the raw connections the test closed leave the node's table as the node notices
		await().atMost(PROMPTLY)
			.untilAsserted(() -> assertThat(target.connectedNodes()).as("connections left").containsExactly(steady.nodeName()));
	}

	private long[] steadyProgress() {
		OtpErlangTuple progress = (OtpErlangTuple) steady.eval("esb_reliability:progress(steady)");
		return new long[] { longValue(progress.elementAt(0)), longValue(progress.elementAt(1)) };
	}

	@Test
	void bytesAtRandomBeforeAndDuringTheHandshakeAreRefused() throws Exception {
		Random random = new Random(8);
		List<byte[]> attempts = new ArrayList<>();
		for (int length : new int[] { 1, 2, 3, 17, 1000, 70_000 }) {
			attempts.add(randomBytes(random, length));
		}
		byte[] name = nameMessage("esb_raw_x@127.0.0.1");
		attempts.add(concat(bytes(0x00, 0x20), randomBytes(random, 32)));
		attempts.add(concat(bytes(0xFF, 0xFF), randomBytes(random, 2000)));
		// a real name message, then garbage where the challenge reply belongs
		attempts.add(concat(name, randomBytes(random, 100)));
		attempts.add(concat(name, bytes(0x00, 0x15), randomBytes(random, 21)));
		// a name without '@', a name that is not UTF-8, version 5's 'n' message
		attempts.add(nameMessage("no_host_part"));
		attempts.add(concat(bytes(0x00, 0x13, 'N'), new byte[12], bytes(0x00, 0x04, 0xC3, 0x28, 0xFF, '@')));
		attempts.add(concat(bytes(0x00, 0x0A, 'n', 0x00, 0x05), new byte[4], bytes('a', '@', 'b')));
		// a name message that stops half-way, then silence: refused after the connect timeout
		attempts.add(concat(bytes(0x00, 0x40), Arrays.copyOf(name, 20)));
		for (byte[] attempt : attempts) {
			try (RawPeer raw = RawPeer.connect(target)) {
				raw.write(attempt).assertClosedByTheNode(CONNECT_TIMEOUT.plus(PROMPTLY));
			}
		}
		assertThat(steady.eval("net_adm:ping(" + q(target.name()) + ")")).isEqualTo(atom("pong"));
	}

	@Test
	void silentConnectionsAreDroppedAfterTheConnectTimeoutWhileOthersConnect() throws Exception {
		List<RawPeer> silent = new ArrayList<>();
		try {
			for (int i = 0; i < 32; i++) {
				silent.add(RawPeer.connect(target));
			}
			ErlangPeer newcomer = erlang.peer().cookie(cookie).start();
			assertThat(newcomer.eval("rpc:call(" + q(target.name()) + ", esb_rel, echo, [hello], 5000)"))
				.isEqualTo(atom("hello"));
			for (RawPeer raw : silent) {
				raw.assertClosedByTheNode(CONNECT_TIMEOUT.plus(PROMPTLY));
			}
			newcomer.close();
			await().atMost(PROMPTLY).until(() -> !target.connectedNodes().contains(newcomer.nodeName()));
		}
		finally {
			for (RawPeer raw : silent) {
				raw.close();
			}
		}
	}

	@Test
	void framesCutShortEndOnlyTheirConnectionAndDeliverNothing() throws Exception {
		try (Mailbox inbox = target.createMailbox("esb_rel_cut")) {
			// the peer goes away in the middle of a frame
			RawPeer gone = RawPeer.authenticated(target, cookie);
			await().atMost(PROMPTLY).until(() -> target.connectedNodes().contains(gone.name));
			gone.write(Arrays.copyOf(frame(new byte[1000]), 14));
			gone.close();
			await().atMost(PROMPTLY).until(() -> !target.connectedNodes().contains(gone.name));
			// frames whose length is right but whose term ends early
			byte[] name = utf8Atom("esb_rel_cut");
			List<byte[]> cut = List.of(
					bytes(109, 0, 0, 0, 100, 1, 2, 3), // a binary of 100 bytes, 3 there
					bytes(107, 0, 50, 'a', 'b'), // a string of 50 characters, 2 there
					bytes(104, 3, 97, 1), // a 3-tuple with one element
					bytes(108, 0, 0, 0, 2, 97, 1, 97, 2), // a 2-list without its tail
					bytes(118, 0, 9, 'a', 'b', 'c'), // an atom of 9 bytes, 3 there
					bytes(110, 8, 0, 1, 2)); // a big integer of 8 bytes, 2 there
			for (byte[] payload : cut) {
				try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
					raw.write(regSend(raw.pid(), name, payload)).assertClosedByTheNode(PROMPTLY);
				}
			}
			try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
				raw.write(regSend(raw.pid(), name, term(atom("intact"))));
				assertThat(inbox.receive(PROMPTLY)).isEqualTo(atom("intact"));
			}
			assertThat(inbox.queueSize()).isZero();
		}
	}

	@Test
	void lengthsInsideATermCannotMakeTheNodeAllocate() throws Exception {
		Map<String, byte[]> lies = new LinkedHashMap<>();
		lies.put("binary of 2 GB", bytes(109, 0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3));
		lies.put("binary of 1.5 GB", bytes(109, 0x60, 0, 0, 0, 1, 2, 3));
		lies.put("bitstring of 1 GB", bytes(77, 0x40, 0, 0, 0, 3, 1, 2));
		lies.put("list of 2^31 elements", bytes(108, 0x7F, 0xFF, 0xFF, 0xFF, 97, 1, 106));
		lies.put("list of 2^28 elements", bytes(108, 0x10, 0, 0, 0, 97, 1, 106));
		lies.put("tuple of 2^31 elements", bytes(105, 0x7F, 0xFF, 0xFF, 0xFF, 97, 1));
		lies.put("tuple of 2^28 elements", bytes(105, 0x10, 0, 0, 0, 97, 1));
		lies.put("map of 2^30 pairs", bytes(116, 0x40, 0, 0, 0, 97, 1, 97, 2));
		lies.put("big integer of 1 GB", bytes(111, 0x40, 0, 0, 0, 0, 1, 2));
		lies.put("compressed term of 2 GB", bytes(80, 0x7F, 0xFF, 0xFF, 0xFF, 0x78, 0x9C, 0x03, 0x00));
		lies.put("fun with 2^28 free variables", concat(bytes(117, 0x10, 0, 0, 0), term(atom("x"))));
		lies.put("atom cache reference", bytes(82, 0));
		lies.put("unknown tag", bytes(255, 1, 2, 3));
		try (Mailbox inbox = target.createMailbox("esb_rel_lies")) {
			byte[] name = utf8Atom("esb_rel_lies");
			long heapBefore = heapAfterGc();
			for (Map.Entry<String, byte[]> lie : lies.entrySet()) {
				try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
					// what the connection's reader thread allocates between here and its refusal
					Thread reader = await().atMost(PROMPTLY)
						.until(() -> thread("erlang-dist-" + raw.name), Objects::nonNull);
					long before = allocatedBy(reader);
					raw.write(regSend(raw.pid(), name, lie.getValue()));
					raw.assertClosedByTheNode(PROMPTLY);
					assertThat(inbox.receive(Duration.ofMillis(50))).as(lie.getKey()).isNull();
					long[] refused = await().atMost(PROMPTLY).until(() -> allocatedWhenRefused.get(raw.name), Objects::nonNull);
					assertThat(refused[0]).as("thread that refused %s", lie.getKey()).isEqualTo(reader.getId());
					assertThat(refused[1] - before).as("bytes allocated refusing a %s", lie.getKey())
						.isLessThan(ALLOCATION_LIMIT);
				}
			}
			assertThat(heapAfterGc() - heapBefore).as("heap kept after the lies").isLessThan(HEAP_SLACK);
		}
	}

	@Test
	void atomsPastTheLimitAreRefusedNotTruncated() throws Exception {
		String longest = "a".repeat(255);
		String longestAccented = "\u00e9".repeat(255);
		try (Mailbox limit = target.createMailbox(longest); Mailbox accented = target.createMailbox(longestAccented)) {
			// 255 characters is Erlang's limit, in bytes or in UTF-8
			try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
				raw.write(regSend(raw.pid(), utf8Atom(longest), term(atom("at_the_limit"))));
				raw.write(regSend(raw.pid(), utf8Atom(longestAccented), term(new OtpErlangAtom(longestAccented))));
				assertThat(limit.receive(PROMPTLY)).isEqualTo(atom("at_the_limit"));
				assertThat(accented.receive(PROMPTLY)).isEqualTo(new OtpErlangAtom(longestAccented));
			}
			List<byte[]> refused = new ArrayList<>();
			// a name one past the limit whose first 255 characters name a process
			refused.add(regSend(SENDER, utf8Atom(longest + "a"), term(atom("truncated"))));
			refused.add(regSend(SENDER,
					concat(bytes(100, 1, 0), longest.concat("a").getBytes(StandardCharsets.ISO_8859_1)),
					term(atom("truncated"))));
			refused.add(regSend(SENDER, utf8Atom(longestAccented + "\u00e9"),
					term(atom("truncated"))));
			// a payload atom past the limit, and atoms that are not UTF-8
			refused.add(regSend(SENDER, utf8Atom(longest),
					utf8Atom("b".repeat(300))));
			refused.add(regSend(SENDER, utf8Atom(longest), utf8Atom(bytes(0xC3, 0x28))));
			refused.add(regSend(SENDER, utf8Atom(longest),
					utf8Atom(bytes(0xED, 0xA0, 0x80))));
			for (byte[] frame : refused) {
				try (RawPeer raw = RawPeer.authenticated(target, cookie)) {
					raw.write(frame).assertClosedByTheNode(PROMPTLY);
				}
			}
			assertThat(limit.queueSize()).isZero();
			assertThat(accented.queueSize()).isZero();
		}
	}

	@Test
	void aFloodOfDistinctAtomsLeavesNothingBehind() throws Exception {
		try (Mailbox inbox = target.createMailbox("esb_rel_flood"); RawPeer raw = RawPeer.authenticated(target, cookie)) {
			long heapBefore = heapAfterGc();
			ByteBuffer batch = ByteBuffer.allocate(1024 * 1024);
			for (int i = 0; i < 100_000; i++) {
				// each frame names a process that does not exist with an atom never seen before
				byte[] frame = regSend(raw.pid(), utf8Atom("esb_flood_" + i + "_" + "x".repeat(100)), bytes(106));
				if (batch.remaining() < frame.length) {
					raw.write(Arrays.copyOf(batch.array(), batch.position()));
					batch.clear();
				}
				batch.put(frame);
			}
			raw.write(Arrays.copyOf(batch.array(), batch.position()));
			raw.write(regSend(raw.pid(), utf8Atom("esb_rel_flood"), term(atom("after_the_flood"))));
			assertThat(inbox.receive(Duration.ofSeconds(30))).isEqualTo(atom("after_the_flood"));
			assertThat(target.connectedNodes()).contains(raw.name);
			assertThat(heapAfterGc() - heapBefore).as("heap kept after 100,000 atoms").isLessThan(HEAP_SLACK);
		}
	}

	/** The live thread of that name, or {@code null}. */
	private static Thread thread(String name) {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().equals(name)).findFirst().orElse(null);
	}

	private static long allocatedBy(Thread thread) {
		return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(thread.getId());
	}

	private static byte[] randomBytes(Random random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return bytes;
	}

	private static byte[] concat(byte[]... parts) {
		int length = 0;
		for (byte[] part : parts) {
			length += part.length;
		}
		ByteBuffer all = ByteBuffer.allocate(length);
		for (byte[] part : parts) {
			all.put(part);
		}
		return all.array();
	}

	/** A version 6 name message, with its 2-byte length. */
	private static byte[] nameMessage(String node) {
		byte[] name = node.getBytes(StandardCharsets.UTF_8);
		ByteBuffer message = ByteBuffer.allocate(2 + 15 + name.length);
		message.putShort((short) (15 + name.length)).put((byte) 'N').putLong(DistFlags.OURS)
			.putInt(1)
			.putShort((short) name.length)
			.put(name);
		return message.array();
	}

}
