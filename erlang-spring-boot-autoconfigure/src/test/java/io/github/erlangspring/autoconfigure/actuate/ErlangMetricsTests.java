package io.github.erlangspring.autoconfigure.actuate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.github.erlangspring.core.ErlangNodeTemplate;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.ErlangTimeoutException;
import io.github.erlangspring.node.dist.DistFlags;
import io.github.erlangspring.node.dist.Handshake;
import io.github.erlangspring.node.dist.LocalIdentity;
import io.github.erlangspring.pubsub.PubSubTemplate;
import io.github.erlangspring.pubsub.Subscription;
import io.github.erlangspring.state.StateTemplate;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Each meter of the node moves when its event happens between the application and real Erlang
 * nodes: connects and disconnects, traffic, RPC in both directions, process handling and mailbox
 * depth, tick timeouts and malformed frames.
 */
class ErlangMetricsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	static ConfigurableApplicationContext context;

	static MeterRegistry registry;

	static String javaNode;

	@BeforeAll
	static void start() {
		peer = ObservedApp.peer(erlang, null).start();
		javaNode = ErlangPeer.uniqueAlive("esb_obs") + "@127.0.0.1";
		context = ObservedApp.start(javaNode, peer, peer.nodeName(), Map.of());
		registry = context.getBean(MeterRegistry.class);
		await().atMost(WAIT).until(() -> context.getBean(ErlangNode.class).connectedNodes().contains(peer.nodeName()));
	}

	@AfterAll
	static void stop() {
		ObservedApp.ObsGate.permits.release(1000);
		if (context != null) {
			context.close();
		}
	}

	@Test
	void connectedPeersAndConnectsAreCounted() {
		assertThat(gauge("erlang.node.peers", "state", "connected")).isGreaterThanOrEqualTo(1);
		assertThat(gauge("erlang.node.peers", "state", "disconnected")).isZero();
		assertThat(counter("erlang.node.connects", "peer", peer.nodeName())).isGreaterThanOrEqualTo(1);
	}

	@Test
	void messagesAndBytesGrowInBothDirections() {
		double received = functionCounter("erlang.node.messages", "direction", "received");
		double sent = functionCounter("erlang.node.messages", "direction", "sent");
		double bytesIn = functionCounter("erlang.node.bytes", "direction", "received");
		double bytesOut = functionCounter("erlang.node.bytes", "direction", "sent");
		String big = "x".repeat(10_000);
		assertThat(peer.eval("byte_size(rpc:call('" + javaNode + "', obs, echo, [list_to_binary(lists:duplicate(10000, $x))]))"))
			.hasToString("10000");
		assertThat(context.getBean(ErlangNodeTemplate.class).rpc(peer.nodeName(), "erlang", "byte_size", Long.class,
				new OtpErlangBinary(big.getBytes()))).isEqualTo(10_000L);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(functionCounter("erlang.node.messages", "direction", "received")).isGreaterThan(received);
			assertThat(functionCounter("erlang.node.messages", "direction", "sent")).isGreaterThan(sent);
			assertThat(functionCounter("erlang.node.bytes", "direction", "received")).isGreaterThan(bytesIn + 10_000);
			assertThat(functionCounter("erlang.node.bytes", "direction", "sent")).isGreaterThan(bytesOut + 10_000);
		});
	}

	@Test
	void rpcServerTimerCountsErlangCallsByOutcome() {
		long ok = timerCount("erlang.rpc.server", "module", "obs", "function", "echo", "outcome", "return");
		long failed = timerCount("erlang.rpc.server", "module", "obs", "function", "fail", "outcome", "error");
		peer.eval("rpc:call('" + javaNode + "', obs, echo, [<<\"hi\">>])");
		peer.eval("erpc:call('" + javaNode + "', obs, echo, [<<\"hi\">>])");
		peer.eval("rpc:call('" + javaNode + "', obs, fail, [<<\"boom\">>])");
		peer.eval("rpc:call('" + javaNode + "', obs, no_such_function, [])");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(timerCount("erlang.rpc.server", "module", "obs", "function", "echo", "outcome", "return"))
				.isEqualTo(ok + 2);
			assertThat(timerCount("erlang.rpc.server", "module", "obs", "function", "fail", "outcome", "error"))
				.isEqualTo(failed + 1);
		});
		assertThat(registry.find("erlang.rpc.server").tag("function", "no_such_function").timer()).isNull();
	}

	@Test
	void rpcClientTimerCountsCallsToErlangByOutcome() {
		ErlangNodeTemplate template = context.getBean(ErlangNodeTemplate.class);
		String node = peer.nodeName();
		long ok = timerCount("erlang.rpc.client", "node", node, "module", "lists", "function", "reverse", "outcome",
				"return");
		long error = timerCount("erlang.rpc.client", "node", node, "module", "erlang", "function", "error", "outcome",
				"error");
		long timeout = timerCount("erlang.rpc.client", "node", node, "module", "timer", "function", "sleep",
				"outcome", "timeout");
		assertThat(template.rpc(node, "lists", "reverse", List.of(1L, 2L))).isEqualTo(List.of(2L, 1L));
		assertThatExceptionOfType(ErlangRemoteException.class)
			.isThrownBy(() -> template.rpc(node, "erlang", "error", new OtpErlangAtom("badarg")));
		ErlangNode erlangNode = context.getBean(ErlangNode.class);
		assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> erlangNode
				.rpc(node, "timer", "sleep", new com.ericsson.otp.erlang.OtpErlangList(
						new com.ericsson.otp.erlang.OtpErlangLong(2000)), Duration.ofMillis(200))
				.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(ErlangTimeoutException.class);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(timerCount("erlang.rpc.client", "node", node, "module", "lists", "function", "reverse",
					"outcome", "return")).isEqualTo(ok + 1);
			assertThat(timerCount("erlang.rpc.client", "node", node, "module", "erlang", "function", "error",
					"outcome", "error")).isEqualTo(error + 1);
			assertThat(timerCount("erlang.rpc.client", "node", node, "module", "timer", "function", "sleep",
					"outcome", "timeout")).isEqualTo(timeout + 1);
		});
	}

	@Test
	void processHandlingTimerCountsMessagesByKindAndOutcome() {
		String counter = "{obs_counter, '" + javaNode + "'}";
		long ok = timerCount("erlang.process.handling", "process", "obs_counter", "kind", "call", "outcome", "ok");
		long error = timerCount("erlang.process.handling", "process", "obs_counter", "kind", "call", "outcome",
				"error");
		long unmatched = timerCount("erlang.process.handling", "process", "obs_counter", "kind", "call", "outcome",
				"unmatched");
		long info = timerCount("erlang.process.handling", "process", "obs_counter", "kind", "info", "outcome",
				"unmatched");
		peer.eval("gen_server:call(" + counter + ", incr)");
		peer.eval("gen_server:call(" + counter + ", incr)");
		peer.eval("catch gen_server:call(" + counter + ", crash)");
		peer.eval("catch gen_server:call(" + counter + ", {no, such, request})");
		peer.eval(counter + " ! plain_message");
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(timerCount("erlang.process.handling", "process", "obs_counter", "kind", "call", "outcome", "ok"))
				.isEqualTo(ok + 2);
			assertThat(timerCount("erlang.process.handling", "process", "obs_counter", "kind", "call", "outcome",
					"error")).isEqualTo(error + 1);
			assertThat(timerCount("erlang.process.handling", "process", "obs_counter", "kind", "call", "outcome",
					"unmatched")).isEqualTo(unmatched + 1);
			assertThat(timerCount("erlang.process.handling", "process", "obs_counter", "kind", "info", "outcome",
					"unmatched")).isEqualTo(info + 1);
		});
	}

	@Test
	void mailboxDepthFollowsMessagesWaiting() {
		assertThat(gauge("erlang.process.mailbox.size", "process", "obs_gate")).isZero();
		peer.eval("[gen_server:cast({obs_gate, '" + javaNode + "'}, {work, N}) || N <- lists:seq(1, 5)], ok");
		// the first cast is being handled (waiting for a permit); four wait in the mailbox
		await().atMost(WAIT).until(() -> gauge("erlang.process.mailbox.size", "process", "obs_gate") == 4);
		ObservedApp.ObsGate.permits.release(5);
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(gauge("erlang.process.mailbox.size", "process", "obs_gate")).isZero();
			assertThat(timerCount("erlang.process.handling", "process", "obs_gate", "kind", "cast", "outcome", "ok"))
				.isEqualTo(5);
		});
	}

	@Test
	void frozenPeerCountsATickTimeout() {
		ErlangPeer frozen = ObservedApp.peer(erlang, peer.cookie()).start();
		ErlangNode node = context.getBean(ErlangNode.class);
		assertThat(node.ping(frozen.nodeName(), WAIT)).isTrue();
		frozen.suspend();
		try {
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(counter("erlang.node.tick.timeouts", "peer", frozen.nodeName())).isEqualTo(1);
				assertThat(counter("erlang.node.disconnects", "peer", frozen.nodeName(), "reason", "tick_timeout"))
					.isEqualTo(1);
			});
		}
		finally {
			frozen.resume();
		}
	}

	@Test
	void killedPeerCountsAsConnectionLost() {
		ErlangPeer doomed = ObservedApp.peer(erlang, peer.cookie()).start();
		ErlangNode node = context.getBean(ErlangNode.class);
		assertThat(node.ping(doomed.nodeName(), WAIT)).isTrue();
		doomed.kill();
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(
					counter("erlang.node.disconnects", "peer", doomed.nodeName(), "reason", "connection_lost"))
				.isEqualTo(1));
		assertThat(counter("erlang.node.tick.timeouts", "peer", doomed.nodeName())).isZero();
	}

	@Test
	void garbageFrameCountsAsMalformed() throws IOException {
		ErlangNode node = context.getBean(ErlangNode.class);
		String fake = ErlangPeer.uniqueAlive("esb_raw") + "@127.0.0.1";
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
			socket.setSoTimeout(5000);
			Handshake.connect(socket.getInputStream(), socket.getOutputStream(),
					new LocalIdentity(fake, 1, DistFlags.OURS, peer.cookie()), node.name());
			await().atMost(WAIT).until(() -> node.connectedNodes().contains(fake));
			byte[] body = { 'q', (byte) 131, 106 };
			OutputStream out = socket.getOutputStream();
			out.write(ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array());
			out.flush();
			drainUntilClosed(socket.getInputStream());
		}
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(counter("erlang.node.frames.malformed", "peer", fake)).isEqualTo(1);
			assertThat(counter("erlang.node.disconnects", "peer", fake, "reason", "protocol_violation")).isEqualTo(1);
		});
	}

	@Test
	void pgPublishesAndDeliveriesAreCountedByScope() {
		PubSubTemplate pubsub = context.getBean(PubSubTemplate.class);
		double published = counter("erlang.pg.publishes", "scope", "pg");
		double delivered = counter("erlang.pg.deliveries", "scope", "pg");
		List<Object> received = new CopyOnWriteArrayList<>();
		try (Subscription subscription = pubsub.subscribe("obs_topic", (message) -> received.add(message.payload()))) {
			await().atMost(WAIT).until(() -> pubsub.publish("obs_topic", "first") == 1);
			pubsub.publish("obs_topic", "second");
			await().atMost(WAIT).until(() -> received.size() == 2);
		}
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(counter("erlang.pg.publishes", "scope", "pg")).isGreaterThanOrEqualTo(published + 2);
			assertThat(counter("erlang.pg.deliveries", "scope", "pg")).isEqualTo(delivered + 2);
		});
	}

	@Test
	void stateOperationsAreTimedByBackendOperationAndOutcome() {
		StateTemplate state = context.getBean(StateTemplate.class);
		state.incr("obs_visits");
		state.incr("obs_visits");
		state.set("obs_text", "not a number");
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> state.incr("obs_text"));
		assertThat(peer.eval("rpc:call('" + javaNode + "', spring_state, get, [<<\"obs_visits\">>])"))
			.hasToString("2");
		assertThat(timerCount("erlang.state.operations", "backend", "local", "operation", "increment", "outcome", "ok"))
			.isEqualTo(2);
		assertThat(timerCount("erlang.state.operations", "backend", "local", "operation", "increment", "outcome",
				"error")).isEqualTo(1);
		assertThat(timerCount("erlang.state.operations", "backend", "local", "operation", "set", "outcome", "ok"))
			.isEqualTo(1);
		assertThat(timerCount("erlang.state.operations", "backend", "local", "operation", "get", "outcome", "ok"))
			.isEqualTo(1);
	}

	private static void drainUntilClosed(InputStream in) {
		byte[] buffer = new byte[8192];
		try {
			while (in.read(buffer) != -1) {
				// ticks, if any
			}
		}
		catch (IOException ex) {
			// reset by the node: closed as well
		}
	}

	private static double gauge(String name, String... tags) {
		Gauge gauge = find(name, tags).gauge();
		assertThat(gauge).as(name).isNotNull();
		return gauge.value();
	}

	private static double functionCounter(String name, String... tags) {
		FunctionCounter counter = find(name, tags).functionCounter();
		assertThat(counter).as(name).isNotNull();
		return counter.count();
	}

	private static double counter(String name, String... tags) {
		return value(() -> find(name, tags).counter(), Counter::count);
	}

	private static long timerCount(String name, String... tags) {
		return (long) value(() -> find(name, tags).timer(), Timer::count);
	}

	private static <M> double value(Supplier<M> meter, java.util.function.ToDoubleFunction<M> read) {
		M found = meter.get();
		return (found != null) ? read.applyAsDouble(found) : 0;
	}

	private static Search find(String name, String... tags) {
		return registry.find(name).tags(tags);
	}

}
