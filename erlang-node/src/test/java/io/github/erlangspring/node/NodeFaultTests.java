package io.github.erlangspring.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpOutputStream;
import io.github.erlangspring.node.dist.DistFlags;
import io.github.erlangspring.node.dist.Handshake;
import io.github.erlangspring.node.dist.LocalIdentity;
import io.github.erlangspring.node.epmd.EmbeddedEpmd;
import io.github.erlangspring.node.epmd.EpmdClient;
import io.github.erlangspring.node.epmd.Registration;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.next;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * What goes wrong between nodes: wrong cookies, peers killed, frozen or restarted, garbage on an
 * authenticated connection, simultaneous connects, and an EPMD embedded in the Java node.
 */
class NodeFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	static final String cookie = ErlangPeer.randomCookie();

	static ErlangPeer peer;

	static ErlangNode node;

	@BeforeAll
	static void startNodes() {
		peer = erlang.peer().cookie(cookie).start();
		node = java.start(cookie);
		node.setFunctionTable(echo());
	}

	static FunctionTable echo() {
		return new SimpleFunctionTable().register("esb_test", "echo", 1, (call) -> call.args().get(0));
	}

	@Test
	void wrongCookieIsRefusedBothWaysAndNeverShown() throws Exception {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		Logger ours = (Logger) LoggerFactory.getLogger("io.github.erlangspring");
		Level level = ours.getLevel();
		root.addAppender(appender);
		ours.setLevel(Level.DEBUG);
		List<String> shown = new ArrayList<>();
		ErlangPeer stranger = erlang.start();
		try {
			assertThat(stranger.eval("net_adm:ping(" + q(node.name()) + ")")).isEqualTo(atom("pang"));
			assertThat(node.ping(stranger.nodeName(), TIMEOUT)).isFalse();
			CompletableFuture<OtpErlangObject> call = node.call("net_kernel", stranger.nodeName(), atom("x"), TIMEOUT);
			ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
					() -> call.get(15, TimeUnit.SECONDS));
			assertThat(failure.getCause()).isInstanceOf(ErlangNodeDownException.class);
			CompletableFuture<OtpErlangObject> rpc = node.rpc(stranger.nodeName(), "erlang", "node", list(), TIMEOUT);
			ExecutionException rpcFailure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
					() -> rpc.get(15, TimeUnit.SECONDS));
			assertThat(rpcFailure.getCause()).isInstanceOf(ErlangNodeDownException.class);
			for (Throwable ex = failure; ex != null; ex = ex.getCause()) {
				shown.add(ex.toString());
			}
			for (Throwable ex = rpcFailure; ex != null; ex = ex.getCause()) {
				shown.add(ex.toString());
			}
		}
		finally {
			root.detachAppender(appender);
			ours.setLevel(level);
		}
		// the failure the caller gets says why, and so do the log lines of the refusals, both ways
		assertThat(shown).as("the caller's exception chain").anySatisfy((text) -> assertThat(text).contains("cookie"));
		List<ILoggingEvent> events = List.copyOf(appender.list);
		List<String> refusals = events.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.filter((message) -> message.contains(stranger.nodeName()))
			.toList();
		assertThat(refusals).as("refusal of the stranger's attempt")
			.anySatisfy((text) -> assertThat(text).contains("connection attempt from " + stranger.nodeName())
				.contains("cookie"));
		assertThat(refusals).as("refusal of our attempt")
			.anySatisfy((text) -> assertThat(text).doesNotContain("connection attempt from").contains("cookie"));
		for (ILoggingEvent event : events) {
			shown.add(event.getFormattedMessage());
			if (event.getThrowableProxy() != null) {
				shown.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
			}
		}
		shown.add(NodeConfig.builder("esb_x@127.0.0.1").cookie(cookie).build().toString());
		assertThat(String.join("\n", shown)).doesNotContain(cookie).doesNotContain(stranger.cookie());
	}

	@Test
	void killedPeerFailsPendingCallsAtOnceAndServesAgainAfterRestart() throws Exception {
		ErlangPeer doomed = erlang.peer().cookie(cookie).start();
		Recorder events = new Recorder(doomed.nodeName());
		node.addNodeListener(events);
		try {
			doomed.eval("esb_test:start_server(sleepy)");
			List<CompletableFuture<OtpErlangObject>> calls = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				// their own timeout is far beyond the waits below: only the node going down can end them
				calls.add(node.call("sleepy", doomed.nodeName(), tuple(atom("sleep"), num(10_000)),
						Duration.ofSeconds(120)));
			}
			await().atMost(TIMEOUT)
				.until(() -> doomed.eval("element(2, process_info(whereis(sleepy), message_queue_len))"),
						num(19)::equals);
			doomed.kill();
			for (CompletableFuture<OtpErlangObject> call : calls) {
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(30, TimeUnit.SECONDS))
					.withCauseInstanceOf(ErlangNodeDownException.class);
			}
			assertThat(events.down.get(5, TimeUnit.SECONDS)).isNotBlank();
			ErlangPeer restarted = doomed.restart();
			restarted.eval("esb_test:start_server(sleepy)");
			assertThat(node.call("sleepy", restarted.nodeName(), tuple(atom("echo"), atom("back")), TIMEOUT)
				.get(10, TimeUnit.SECONDS)).isEqualTo(atom("back"));
			assertThat(events.events).containsExactly("up", "down", "up");
		}
		finally {
			node.removeNodeListener(events);
		}
	}

	@Test
	void suspendedPeerIsDeclaredDownByTheTickTimeout() throws Exception {
		ErlangPeer frozen = erlang.peer().cookie(cookie).netTicktime(Duration.ofSeconds(2)).start();
		ErlangNode ticking = java.start(cookie, (config) -> config.netTicktime(Duration.ofSeconds(2)));
		Recorder events = new Recorder(frozen.nodeName());
		ticking.addNodeListener(events);
		assertThat(ticking.ping(frozen.nodeName(), TIMEOUT)).isTrue();
		long suspendedAt = System.nanoTime();
		frozen.suspend();
		try {
			// with the default net_ticktime (60 s) the down would come after 45 s at the earliest
			String reason = events.down.get(30, TimeUnit.SECONDS);
			Duration detected = Duration.ofNanos(System.nanoTime() - suspendedAt);
			assertThat(reason).contains("net_tick_timeout");
			// a lower bound only: a loaded machine makes the detection later, never earlier
			assertThat(detected).isGreaterThan(Duration.ofSeconds(1));
			assertThat(ticking.connectedNodes()).doesNotContain(frozen.nodeName());
		}
		finally {
			frozen.resume();
		}
		await().atMost(Duration.ofSeconds(15)).until(() -> ticking.ping(frozen.nodeName(), Duration.ofSeconds(2)));
	}

	@Test
	void garbageAfterTheHandshakeClosesOnlyThatConnection() throws Exception {
		ErlangNode target = java.start(cookie, (config) -> config.maxFrameSize(64 * 1024));
		target.setFunctionTable(echo());
		assertThat(peer.eval("net_adm:ping(" + q(target.name()) + ")")).isEqualTo(atom("pong"));
		try (Mailbox inbox = target.createMailbox("garbage_inbox")) {
			String fake = ErlangPeer.uniqueAlive("esb_raw") + "@127.0.0.1";
			OtpErlangPid from = new OtpErlangPid(fake, 1, 0, 1);
			OtpErlangTuple toInbox = tuple(num(6), from, atom(""), atom("garbage_inbox"));
			try (Socket socket = handshake(target, fake)) {
				byte[] justUnder = new byte[60 * 1024];
				write(socket, passThrough(toInbox, new OtpErlangBinary(justUnder)));
				assertThat(((OtpErlangBinary) next(inbox)).size()).isEqualTo(justUnder.length);
			}
			byte[] random = new byte[1000];
			new Random(42).nextBytes(random);
			List<byte[]> garbage = List.of(frame(random), frame(new byte[] { 112, (byte) 131, (byte) 255, 1, 2 }),
					new byte[] { (byte) 0x80, 0, 0, 0, 1, 2, 3 }, new byte[] { 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff },
					frame(new byte[] { 'q', (byte) 131, 106 }), frame(new byte[] { 112, (byte) 131, 100, 0, 1, 'a' }),
					passThrough(tuple(num(2), atom("no_pid")), atom("x")), deeplyNested(toInbox, 200_000),
					passThrough(toInbox, new OtpErlangBinary(new byte[100 * 1024])));
			for (byte[] bytes : garbage) {
				try (Socket socket = handshake(target, fake)) {
					write(socket, bytes);
					assertClosedByTheNode(socket);
				}
				assertThat(peer.eval("net_adm:ping(" + q(target.name()) + ")")).isEqualTo(atom("pong"));
				assertThat(peer.eval("rpc:call(" + q(target.name()) + ", esb_test, echo, [still_here])"))
					.isEqualTo(atom("still_here"));
				assertThat(target.rpc(peer.nodeName(), "esb_test", "echo", list(atom("fine")), TIMEOUT)
					.get(10, TimeUnit.SECONDS)).isEqualTo(atom("fine"));
			}
			assertThat(inbox.queueSize()).isZero();
		}
	}

	@Test
	void embeddedEpmdServesRealErlangNodesAndEpmd() throws Exception {
		int epmdPort = freePort();
		ErlangNode own = java.start(cookie, (config) -> config.epmdMode(EpmdMode.ALWAYS).epmdPort(epmdPort));
		own.setFunctionTable(echo());
		assertThat(own.runsEmbeddedEpmd()).isTrue();
		ErlangPeer local = erlang.peer().cookie(cookie).epmdPort(epmdPort).start();
		assertThat(local.eval("net_adm:ping(" + q(own.name()) + ")")).isEqualTo(atom("pong"));
		assertThat(local.eval("rpc:call(" + q(own.name()) + ", esb_test, echo, [via_embedded])"))
			.isEqualTo(atom("via_embedded"));
		assertThat(own.ping(local.nodeName(), TIMEOUT)).isTrue();
		Process names = new ProcessBuilder("epmd", "-port", Integer.toString(epmdPort), "-names")
			.redirectErrorStream(true)
			.start();
		String listing = new String(names.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(names.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(listing).contains("name " + NodeName.parse(own.name()).alive() + " at port " + own.port())
			.contains("name " + NodeName.parse(local.nodeName()).alive() + " at port ");
	}

	@Test
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void simultaneousConnectsEndWithOneWorkingConnection() throws Exception {
		peer.eval("esb_test:start_node_watcher(simultaneous_watch)");
		// the decisions of Connections on a race, logged at DEBUG: the evidence that a round raced
		ListAppender<ILoggingEvent> decisions = new ListAppender<>();
		decisions.start();
		Logger connections = (Logger) LoggerFactory.getLogger(Connections.class);
		Level level = connections.getLevel();
		connections.addAppender(decisions);
		connections.setLevel(Level.DEBUG);
		int javaWon = 0;
		int erlangWon = 0;
		try {
			// 14 rounds, and more until each side has won a real race (a race is a matter of
			// milliseconds: about half of the rounds race, the others connect one after the other)
			for (int i = 0; i < 14 || (i < 80 && (javaWon == 0 || erlangWon == 0)); i++) {
				decisions.list.clear();
				// a Java name below, then above, the Erlang name: each side wins half of the races
				ErlangNode racer = java.start((i % 2 == 0) ? "esb_a" : "esb_z", cookie, (config) -> config);
				racer.setFunctionTable(echo());
				Recorder events = new Recorder(peer.nodeName());
				racer.addNodeListener(events);
				long at = System.currentTimeMillis() + 150;
				CompletableFuture<OtpErlangObject> fromErlang = peer.evalAsync("timer:sleep(max(0, " + at
						+ " - erlang:system_time(millisecond))), net_adm:ping(" + q(racer.name()) + ")");
				// both start at the same instant, give or take a few milliseconds
				LockSupport.parkUntil(at + 2 * (i % 7) - 6);
				assertThat(racer.ping(peer.nodeName(), Duration.ofSeconds(10))).as("Java ping, race %d", i).isTrue();
				assertThat(fromErlang.get(15, TimeUnit.SECONDS)).as("Erlang ping, race %d", i).isEqualTo(atom("pong"));
				assertThat(racer.rpc(peer.nodeName(), "esb_test", "echo", list(num(i)), TIMEOUT).get(10, TimeUnit.SECONDS))
					.isEqualTo(num(i));
				assertThat(peer.eval("rpc:call(" + q(racer.name()) + ", esb_test, echo, [" + i + "])")).isEqualTo(num(i));
				assertThat(events.events).as("Java node events, race %d", i).containsExactly("up");
				OtpErlangList seen = (OtpErlangList) peer.eval("[{E, N} || {E, N, _} <- esb_test:take_all("
						+ "simultaneous_watch), N =:= " + q(racer.name()) + "]");
				assertThat(seen).as("Erlang node events, race %d", i)
					.isEqualTo(list(tuple(atom("nodeup"), atom(racer.name()))));
				List<String> raced = decisions.list.stream()
					.map(ILoggingEvent::getFormattedMessage)
					.filter((message) -> message.startsWith("Simultaneous connects with " + peer.nodeName()))
					.toList();
				boolean javaGreater = racer.name().compareTo(peer.nodeName()) > 0;
				if (!raced.isEmpty()) {
					// the greater name keeps its attempt, whichever side decides
					assertThat(raced).as("decisions in race %d (%s)", i, racer.name())
						.allSatisfy((message) -> assertThat(message).containsAnyOf(
								javaGreater ? new String[] { "ours is kept" } : new String[] { "theirs is kept", "ours gave way" }));
					if (javaGreater) {
						javaWon++;
					}
					else {
						erlangWon++;
					}
				}
				racer.close(Duration.ZERO);
				System.out.printf("simultaneous connects, round %d (%s): %s%n", i, racer.name(), raced);
			}
		}
		finally {
			connections.detachAppender(decisions);
			connections.setLevel(level);
		}
		assertThat(javaWon).as("races won by the Java node").isPositive();
		assertThat(erlangWon).as("races won by the Erlang node").isPositive();
	}

	@Test
	void restartedPeerReconnectsWhileTheOldConnectionStillLooksAlive() throws Exception {
		ErlangNode target = java.start(cookie);
		target.setFunctionTable(echo());
		Recorder events = new Recorder(null);
		target.addNodeListener(events);
		try (EmbeddedEpmd epmd = EmbeddedEpmd.start(InetAddress.getLoopbackAddress(), 0);
				HalfOpenProxy proxy = new HalfOpenProxy(target.port());
				Registration registration = new EpmdClient(epmd.port(), TIMEOUT)
					.register(NodeName.parse(target.name()).alive(), proxy.port(), true);
				Mailbox watcher = target.createMailbox()) {
			// the Erlang node reaches the Java node only through the proxy, which hides its death
			ErlangPeer restarting = erlang.peer().cookie(cookie).epmdPort(epmd.port()).start();
			assertThat(restarting.eval("net_adm:ping(" + q(target.name()) + ")")).isEqualTo(atom("pong"));
			OtpErlangPid old = (OtpErlangPid) restarting.eval("spawn(fun() -> receive stop -> ok end end)");
			OtpErlangRef ref = watcher.monitor(old);
			restarting.kill();
			await().atMost(TIMEOUT).until(() -> proxy.clientsGone.get() == 1);
			assertThat(target.connectedNodes()).contains(restarting.nodeName());
			ErlangPeer restarted = restarting.restart();
			assertThat(restarted.eval("net_adm:ping(" + q(target.name()) + ")")).isEqualTo(atom("pong"));
			assertThat(next(watcher)).isEqualTo(tuple(atom("DOWN"), ref, atom("process"), old, atom("noconnection")));
			assertThat(target.rpc(restarted.nodeName(), "esb_test", "echo", list(atom("x")), TIMEOUT)
				.get(10, TimeUnit.SECONDS)).isEqualTo(atom("x"));
			assertThat(restarted.eval("rpc:call(" + q(target.name()) + ", esb_test, echo, [y])")).isEqualTo(atom("y"));
			assertThat(events.events).containsExactly("up", "down", "up");
			assertThat(target.connectedNodes()).containsExactly(restarted.nodeName());
		}
	}

	private static Socket handshake(ErlangNode target, String name) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), target.port());
		socket.setSoTimeout(5000);
		Handshake.connect(socket.getInputStream(), socket.getOutputStream(),
				new LocalIdentity(name, 1, DistFlags.OURS, cookie), target.name());
		return socket;
	}

	private static void write(Socket socket, byte[] bytes) {
		try {
			OutputStream out = socket.getOutputStream();
			out.write(bytes);
			out.flush();
		}
		catch (IOException ex) {
			// the node may close before it has read everything
		}
	}

	private static void assertClosedByTheNode(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		byte[] buffer = new byte[8192];
		try {
			while (in.read(buffer) != -1) {
				// ticks, if any
			}
		}
		catch (SocketTimeoutException ex) {
			fail("the node did not close the connection");
		}
		catch (IOException ex) {
			// reset by the node: closed as well
		}
	}

	private static byte[] frame(byte[] body) {
		return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
	}

	private static byte[] passThrough(OtpErlangObject control, OtpErlangObject payload) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(112);
		out.write1(131);
		out.write_any(control);
		out.write1(131);
		out.write_any(payload);
		return frame(out.toByteArray());
	}

	/** A message of {@code depth} nested one-element lists, as raw bytes. */
	private static byte[] deeplyNested(OtpErlangObject control, int depth) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(112);
		out.write1(131);
		out.write_any(control);
		out.write1(131);
		for (int i = 0; i < depth; i++) {
			out.write1(108);
			out.write4BE(1);
		}
		for (int i = 0; i <= depth; i++) {
			out.write1(106);
		}
		return frame(out.toByteArray());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** Records a node's (or every node's, for {@code null}) ups and downs. */
	static final class Recorder implements NodeListener {

		final String peer;

		final List<String> events = new CopyOnWriteArrayList<>();

		final CompletableFuture<String> down = new CompletableFuture<>();

		Recorder(String peer) {
			this.peer = peer;
		}

		@Override
		public void nodeUp(String node, boolean hidden) {
			if (this.peer == null || this.peer.equals(node)) {
				this.events.add("up");
			}
		}

		@Override
		public void nodeDown(String node, DisconnectReason reason) {
			if (this.peer == null || this.peer.equals(node)) {
				this.events.add("down");
				this.down.complete(reason.toString());
			}
		}

	}

	/**
	 * Forwards connections to a port, and when a client disappears keeps the forwarded connection
	 * open: the target cannot tell that its peer is gone, as after a lost FIN.
	 */
	static final class HalfOpenProxy implements AutoCloseable {

		final AtomicInteger clientsGone = new AtomicInteger();

		private final ServerSocket server;

		private final int target;

		private final List<Socket> sockets = new CopyOnWriteArrayList<>();

		HalfOpenProxy(int target) throws IOException {
			this.target = target;
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			daemon(this::acceptLoop);
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void acceptLoop() {
			try {
				while (true) {
					Socket client = this.server.accept();
					Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
					this.sockets.add(client);
					this.sockets.add(upstream);
					daemon(() -> pump(client, upstream, this.clientsGone::incrementAndGet));
					daemon(() -> pump(upstream, client, () -> closeQuietly(client)));
				}
			}
			catch (IOException ex) {
				// closed
			}
		}

		/** Copies until the source ends; data the destination refuses is dropped. */
		private static void pump(Socket from, Socket to, Runnable onEnd) {
			byte[] buffer = new byte[16384];
			boolean writable = true;
			try {
				InputStream in = from.getInputStream();
				for (int n; (n = in.read(buffer)) != -1;) {
					if (writable) {
						try {
							to.getOutputStream().write(buffer, 0, n);
						}
						catch (IOException ex) {
							writable = false;
						}
					}
				}
			}
			catch (IOException ex) {
				// ended
			}
			onEnd.run();
		}

		private static void daemon(Runnable task) {
			Thread thread = new Thread(task, "half-open-proxy");
			thread.setDaemon(true);
			thread.start();
		}

		private static void closeQuietly(Socket socket) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			this.sockets.forEach(HalfOpenProxy::closeQuietly);
		}

	}

}
