package io.github.erlangspring.reliability;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.ErlangExitException;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.JavaNodes;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.NodeObserver;
import io.github.erlangspring.node.epmd.EpmdClient;
import io.github.erlangspring.node.epmd.Registration;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Messages, casts, replies, links and monitors aimed at a node this node is not connected to, or
 * at a peer that stopped reading, do not hold up the thread that sends them. A reply to a
 * process of an unconnected node is dropped (nobody there waits for it); messages, links and
 * monitors connect in the background and wait, in order, on the pending connection, as in OTP
 * since 21. The unconnected node here is the worst kind: registered with EPMD, accepting
 * connections, and never answering the handshake, so each blocking connect would last the
 * whole connect timeout. A peer that stops reading holds a sender in its socket write at most
 * until the connection is declared stuck.
 */
class NonBlockingSignalsTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	private ServerSocket silent;

	private Registration registration;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private String silentNode;

	@BeforeEach
	void startSilentNode() throws Exception {
		ErlangRuntime.ensureEpmd();
		this.silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			try {
				while (true) {
					this.accepted.add(this.silent.accept());
				}
			}
			catch (Exception ex) {
				// closed
			}
		});
		acceptor.setDaemon(true);
		acceptor.start();
		String alive = ErlangPeer.uniqueAlive("esb_silent");
		// the EPMD the nodes use: $ERL_EPMD_PORT, else 4369 (as epmd -daemon and NodeConfig)
		String port = System.getenv("ERL_EPMD_PORT");
		int epmdPort = (port != null && !port.isBlank()) ? Integer.parseInt(port.strip()) : 4369;
		this.registration = new EpmdClient(epmdPort, Duration.ofSeconds(5)).register(alive, this.silent.getLocalPort(),
				true);
		this.silentNode = alive + "@127.0.0.1";
	}

	@AfterEach
	void stopSilentNode() throws Exception {
		this.registration.close();
		this.silent.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
	}

	@Test
	void repliesToForgedCallersDoNotStallTheServer() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangNode target = java.start(cookie);
		Mailbox server = target.createMailbox("esb_srv");
		Thread loop = new Thread(() -> {
			try {
				while (true) {
					OtpErlangTuple call = (OtpErlangTuple) server.receive();
					server.reply(call.elementAt(1), call.elementAt(2));
				}
			}
			catch (ErlangExitException | InterruptedException ex) {
				// closed
			}
		});
		loop.setDaemon(true);
		loop.start();
		ErlangPeer peer = erlang.peer().cookie(cookie).start();
		// three calls whose From is a process of the silent node, then a real one. Replying
		// with a connect each, the server would need 3 x 8 s before it answers the real call;
		// the real call's 15 s leave a wide margin either way.
		peer.eval("Name = atom_to_binary(" + q(this.silentNode) + "), "
				+ "Fake = binary_to_term(<<131, 88, 119, (byte_size(Name)), Name/binary, 1:32, 0:32, 0:32>>), "
				+ "[{esb_srv, " + q(target.name()) + "} ! {'$gen_call', {Fake, make_ref()}, forged} "
				+ "|| _ <- [1, 2, 3]], ok");
		assertThat(peer.eval("gen_server:call({esb_srv, " + q(target.name()) + "}, real, 15000)"))
			.isEqualTo(atom("real"));
		assertThat(target.connectedNodes()).doesNotContain(this.silentNode);
		server.close();
	}

	@Test
	void linksAndMonitorsToAnUnconnectedNodeConnectInTheBackground() throws Exception {
		ErlangNode target = java.start(ErlangPeer.randomCookie());
		OtpErlangPid remote = new OtpErlangPid(this.silentNode, 1, 0, 1);
		try (Mailbox watcher = target.createMailbox()) {
			watcher.trapExits(true);
			// Connecting on this thread takes the 7 s connect timeout; 5 s is far from both
			// that and from the microseconds these take now.
			assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
				watcher.monitor(remote);
				watcher.link(remote);
			});
			// the connect fails in the background: the monitor fires, the link breaks
			OtpErlangObject first = watcher.receive(Duration.ofSeconds(30));
			OtpErlangObject second = watcher.receive(Duration.ofSeconds(30));
			assertThat(List.of(String.valueOf(first), String.valueOf(second))).allMatch((text) -> text.contains("noconnection"));
		}
	}


	@Test
	void sendsToANodeThatNeverAnswersReturnAtOnce() throws Exception {
		ErlangNode target = java.start(ErlangPeer.randomCookie(), (config) -> config.connectTimeout(Duration.ofSeconds(30)));
		OtpErlangPid remote = new OtpErlangPid(this.silentNode, 1, 0, 1);
		try (Mailbox sender = target.createMailbox()) {
			// Connecting on this thread would take the 30 s connect timeout (it did: send connected
			// first); 2 s is far from that, and from the microseconds these take now.
			assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
				target.send(remote, atom("one"));
				target.send("esb_any", this.silentNode, atom("two"));
				sender.send(remote, atom("three"));
				sender.send("esb_any", this.silentNode, atom("four"));
				target.cast(remote, atom("five"));
				target.cast("esb_any", this.silentNode, atom("six"));
				target.rpcCast(this.silentNode, "erlang", "node", list());
			});
			assertThat(target.connectedNodes()).doesNotContain(this.silentNode);
		}
	}

	@Test
	void sendsPastTheBoundOfAPendingConnectionAreDroppedAndCounted() throws Exception {
		List<Integer> dropped = new CopyOnWriteArrayList<>();
		ErlangNode target = java.start(ErlangPeer.randomCookie(), (config) -> config.connectTimeout(Duration.ofSeconds(30))
			.outboundQueueCapacity(10)
			.addObserver(new NodeObserver() {
				@Override
				public void sendDropped(String node, int count) {
					dropped.add(count);
				}
			}));
		OtpErlangPid remote = new OtpErlangPid(this.silentNode, 1, 0, 1);
		// 10 wait for the connection (which never comes), the 5 beyond are dropped at once
		// rather than making the sender wait
		assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
			for (int i = 0; i < 15; i++) {
				target.send(remote, atom("m"));
			}
		});
		assertThat(dropped).containsExactly(1, 1, 1, 1, 1);
		// stopping the node ends the attempt: the 10 waiting are dropped too
		target.close();
		assertThat(dropped).containsExactly(1, 1, 1, 1, 1, 10);
	}

	@Test
	void messagesSentWhileConnectingArriveInOrderOnceConnected() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer peer = erlang.peer().cookie(cookie).start();
		peer.eval("esb_test:start_collector(esb_order)");
		ErlangNode target = java.start(cookie, (config) -> config.connectTimeout(Duration.ofSeconds(30)));
		int before = 200;
		int after = 200;
		// A suspended node: EPMD (its own process) answers for it and its port accepts, but its
		// handshake waits until it resumes, so the connection is pending throughout.
		peer.suspend();
		boolean resumed = false;
		try {
			assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
				for (int i = 1; i <= before; i++) {
					target.send("esb_order", peer.nodeName(), new OtpErlangLong(i));
				}
			});
			assertThat(target.connectedNodes()).doesNotContain(peer.nodeName());
			// Another thread goes on sending while the connection comes up, and some more after
			// it is: the ones queued before and those sent over the connection must not overtake
			// each other.
			AtomicInteger sent = new AtomicInteger(before);
			CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
				// while it connects (at most 5,000, well within the 16,384 that may wait)...
				while (sent.get() < 5_000 && !target.connectedNodes().contains(peer.nodeName())) {
					target.send("esb_order", peer.nodeName(), new OtpErlangLong(sent.incrementAndGet()));
				}
				// ...and once it is connected
				await().atMost(Duration.ofSeconds(30)).until(() -> target.connectedNodes().contains(peer.nodeName()));
				for (int i = 0; i < after; i++) {
					target.send("esb_order", peer.nodeName(), new OtpErlangLong(sent.incrementAndGet()));
				}
			});
			peer.resume();
			resumed = true;
			sending.get(60, TimeUnit.SECONDS);
			int total = sent.get();
			OtpErlangObject[] expected = new OtpErlangObject[total];
			for (int i = 0; i < total; i++) {
				expected[i] = new OtpErlangLong(i + 1);
			}
			assertThat(peer.eval("esb_test:await(esb_order, " + total + ", 20000)")).isEqualTo(new OtpErlangList(expected));
		}
		finally {
			if (!resumed) {
				peer.resume();
			}
		}
	}

	@Test
	void aPeerThatStopsReadingHoldsNoSenderPastTheStuckTimeout() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		CompletableFuture<DisconnectReason> closed = new CompletableFuture<>();
		// net_ticktime is the stuck timeout: 2 s
		ErlangNode target = startReportingClose(cookie, Duration.ofSeconds(2), closed);
		// The peer never reads, but ticks (so that it is not silent, only deaf): a sender that
		// fills its socket buffers must still get its thread back.
		try (RawPeer raw = RawPeer.authenticated(target, cookie); AutoCloseable ticks = tickWithoutReading(raw)) {
			OtpErlangBinary megabyte = new OtpErlangBinary(new byte[1024 * 1024]);
			// 64 MB, far more than loopback socket buffers hold. The old send waited in the socket
			// write for as long as the peer ticked; the stuck timeout (2 s) and its check (every
			// second) leave 5 s of margin here.
			assertTimeoutPreemptively(Duration.ofSeconds(8), () -> {
				for (int i = 0; i < 64; i++) {
					target.send(raw.pid(), megabyte);
				}
			});
			assertThat(closed.get(5, TimeUnit.SECONDS).kind()).isEqualTo(DisconnectReason.Kind.SEND_QUEUE_FULL);
			assertThat(target.connectedNodes()).doesNotContain(raw.name);
		}
	}

	@Test
	void anEventLoopSendingToAPeerThatStopsReadingIsNotHeldAtAll() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		CompletableFuture<DisconnectReason> closed = new CompletableFuture<>();
		// a stuck timeout (net_ticktime) of 10 s: an event loop must get its thread back long before
		ErlangNode target = startReportingClose(cookie, Duration.ofSeconds(10), closed);
		Scheduler eventLoop = Schedulers.newSingle("esb-event-loop");
		try (RawPeer raw = RawPeer.authenticated(target, cookie); AutoCloseable ticks = tickWithoutReading(raw)) {
			OtpErlangBinary megabyte = new OtpErlangBinary(new byte[1024 * 1024]);
			CompletableFuture<Boolean> sent = new CompletableFuture<>();
			eventLoop.schedule(() -> {
				for (int i = 0; i < 64; i++) {
					target.send(raw.pid(), megabyte);
				}
				sent.complete(Schedulers.isInNonBlockingThread());
			});
			// the 64 MB wait in the outbound queue: a writer thread, not the event loop, waits in
			// the socket write (3 s is far from the 10 s an event loop writing would wait)
			assertThat(sent.get(3, TimeUnit.SECONDS)).as("sent from a non-blocking thread").isTrue();
			assertThat(closed).isNotDone();
			// and the writer is not held past the stuck timeout either
			assertThat(closed.get(20, TimeUnit.SECONDS).kind()).isEqualTo(DisconnectReason.Kind.SEND_QUEUE_FULL);
		}
		finally {
			eventLoop.dispose();
		}
	}

	/** @return a node with this {@code net_ticktime} (its stuck timeout) that completes {@code closed} */
	private static ErlangNode startReportingClose(String cookie, Duration ticktime,
			CompletableFuture<DisconnectReason> closed) {
		return java.start(cookie, (config) -> config.netTicktime(ticktime).addObserver(new NodeObserver() {
			@Override
			public void connectionDown(ErlangNode.ConnectionInfo last, DisconnectReason reason) {
				closed.complete(reason);
			}
		}));
	}

	/**
	 * Makes the raw peer tick every 100 ms without ever reading: deaf, not silent.
	 * @return stops the ticks when closed
	 */
	private static AutoCloseable tickWithoutReading(RawPeer raw) {
		AtomicBoolean ticking = new AtomicBoolean(true);
		Thread ticker = new Thread(() -> {
			try {
				OutputStream out = raw.socket.getOutputStream();
				while (ticking.get()) {
					out.write(new byte[4]);
					out.flush();
					Thread.sleep(100);
				}
			}
			catch (Exception ex) {
				// closed by the node
			}
		});
		ticker.setDaemon(true);
		ticker.start();
		return () -> ticking.set(false);
	}

}
