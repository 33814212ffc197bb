package io.github.erlangspring.pubsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.convert.Atom;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.pubsub.Cluster.erlBinary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Publishing and subscribing with {@link PubSubTemplate} between two Erlang nodes using plain pg
 * and two Java nodes.
 */
class PubSubTemplateTests {

	private static final Duration CONVERGE = Duration.ofSeconds(10);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static Cluster cluster;

	static PubSubTemplate pubSub1;

	static PubSubTemplate pubSub2;

	@BeforeAll
	static void startCluster() {
		cluster = new Cluster(erlang);
		pubSub1 = cluster.track(new PubSubTemplate(cluster.scope1, new DefaultErlangConverter()));
		pubSub2 = cluster.track(new PubSubTemplate(cluster.scope2, new DefaultErlangConverter()));
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	private static void awaitMembers(String topic, int count) {
		await().atMost(CONVERGE).untilAsserted(() -> cluster.views(erlBinary(topic), Cluster.binary(topic))
			.forEach((node, members) -> assertThat(members).as(node).hasSize(count)));
	}

	private static Object erlangSubscriber(int node, String topic, String name) {
		return ((node == 1) ? cluster.e1 : cluster.e2)
			.eval("esb_pubsub_test:subscriber(pg, " + erlBinary(topic) + ", " + name + ")");
	}

	@Test
	void publishReachesJavaAndErlangSubscribersOnEveryNodeAndCountsThem() throws Exception {
		erlangSubscriber(1, "news", "news_e1");
		erlangSubscriber(2, "news", "news_e2");
		BlockingQueue<PubSubMessage> onJ1 = new LinkedBlockingQueue<>();
		BlockingQueue<PubSubMessage> onJ2 = new LinkedBlockingQueue<>();
		pubSub1.subscribe("news", onJ1::add);
		pubSub2.subscribe("news", onJ2::add);
		awaitMembers("news", 4);

		assertThat(pubSub1.publish("news", "from java")).isEqualTo(4);
		assertThat(cluster.e2.eval("esb_pubsub_test:publish(pg, <<\"news\">>, <<\"from erlang\">>)"))
			.isEqualTo(new OtpErlangLong(4));

		for (BlockingQueue<PubSubMessage> queue : List.of(onJ1, onJ2)) {
			List<Object> payloads = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				PubSubMessage message = queue.poll(5, TimeUnit.SECONDS);
				assertThat(message).isNotNull();
				assertThat(message.topic()).isEqualTo("news");
				payloads.add(message.payload());
			}
			assertThat(payloads).containsExactlyInAnyOrder("from java", "from erlang");
		}
		for (String name : List.of("news_e1", "news_e2")) {
			OtpErlangObject received = ((name.endsWith("1")) ? cluster.e1 : cluster.e2)
				.eval("lists:sort(esb_pubsub_test:await(" + name + ", 2, 5000)) =:= "
						+ "lists:sort([{pubsub, <<\"news\">>, <<\"from java\">>}, {pubsub, <<\"news\">>, <<\"from erlang\">>}])");
			assertThat(received).as(name).hasToString("true");
		}
		assertThat(pubSub1.publish("nobody_listens", "x")).isZero();
	}

	@Test
	void messagesArriveInOrderPerPublisherAndSubscriber() throws Exception {
		int n = 2000;
		erlangSubscriber(1, "seq", "seq_e1");
		Map<String, List<Long>> seenOnJ2 = new HashMap<>();
		AtomicLong total = new AtomicLong();
		pubSub2.subscribe("seq", (message) -> {
			OtpErlangTuple seq = (OtpErlangTuple) message.payloadTerm();
			seenOnJ2.computeIfAbsent(seq.elementAt(1).toString(), (k) -> new ArrayList<>())
				.add(((OtpErlangLong) seq.elementAt(2)).longValue());
			total.incrementAndGet();
		});
		awaitMembers("seq", 2);

		CompletableFuture<OtpErlangObject> fromErlang = cluster.e2
			.evalAsync("esb_pubsub_test:publish_seq(pg, <<\"seq\">>, e2, " + n + ")");
		int sent = 0;
		for (int i = 1; i <= n; i++) {
			sent += pubSub1.publish("seq", new OtpErlangTuple(
					new OtpErlangObject[] { new OtpErlangAtom("seq"), new OtpErlangAtom("j1"), new OtpErlangLong(i) }));
		}
		assertThat(sent).isEqualTo(2 * n);
		assertThat(fromErlang.get(30, TimeUnit.SECONDS)).isEqualTo(new OtpErlangLong(2 * n));

		await().atMost(CONVERGE).until(() -> total.get() == 2L * n);
		List<Long> expected = java.util.stream.LongStream.rangeClosed(1, n).boxed().toList();
		assertThat(seenOnJ2.get("j1")).isEqualTo(expected);
		assertThat(seenOnJ2.get("e2")).isEqualTo(expected);
		OtpErlangObject inOrderOnE1 = cluster.e1.eval("Msgs = esb_pubsub_test:await(seq_e1, " + (2 * n) + ", 20000), "
				+ "[I || {pubsub, _, {seq, j1, I}} <- Msgs] =:= lists:seq(1, " + n + ") andalso "
				+ "[I || {pubsub, _, {seq, e2, I}} <- Msgs] =:= lists:seq(1, " + n + ")");
		assertThat(inOrderOnE1).hasToString("true");
	}

	@Test
	void aBurstOf100000MessagesToAJavaSubscriberLosesNone() throws Exception {
		int n = 100_000;
		AtomicLong received = new AtomicLong();
		AtomicLong outOfOrder = new AtomicLong();
		AtomicLong last = new AtomicLong();
		Subscription subscription = pubSub1.subscribe("burst", (message) -> {
			long i = ((OtpErlangLong) ((OtpErlangTuple) message.payloadTerm()).elementAt(2)).longValue();
			if (i != last.get() + 1) {
				outOfOrder.incrementAndGet();
			}
			last.set(i);
			received.incrementAndGet();
		});
		awaitMembers("burst", 1);
		assertThat(cluster.e1.eval("esb_pubsub_test:publish_seq(pg, <<\"burst\">>, e1, " + n + ")", Duration.ofSeconds(60)))
			.isEqualTo(new OtpErlangLong(n));
		await().atMost(Duration.ofSeconds(20)).until(() -> received.get() >= n);
		assertThat(received.get()).isEqualTo(n);
		assertThat(subscription.deliveredMessages()).isEqualTo(n);
		assertThat(outOfOrder.get()).isZero();
		assertThat(last.get()).isEqualTo(n);
	}

	@Test
	void receivePullsMessagesKeptSinceTheFirstCall() {
		assertThat(pubSub1.receive("pull", Duration.ofMillis(50))).isNull();
		awaitMembers("pull", 1);
		cluster.e1.eval("[esb_pubsub_test:publish(pg, <<\"pull\">>, N) || N <- [1, 2, 3]]");
		assertThat(pubSub1.receive("pull", Duration.ofSeconds(5)).payload()).isEqualTo(1L);
		assertThat(pubSub1.receive("pull", Duration.ofSeconds(5)).payload(Integer.class)).isEqualTo(2);
		assertThat(pubSub1.receive("pull", Duration.ofSeconds(5)).payloadTerm()).isEqualTo(new OtpErlangLong(3));
		assertThat(pubSub1.receive("pull", Duration.ofMillis(50))).isNull();
		assertThat(pubSub1.unsubscribe("pull")).isEqualTo(1);
		awaitMembers("pull", 0);
	}

	@Test
	void aClosedSubscriptionLeavesEverywhereAndGetsNothingMore() {
		List<PubSubMessage> received = new CopyOnWriteArrayList<>();
		Subscription subscription = pubSub2.subscribe("closing", received::add);
		awaitMembers("closing", 1);
		assertThat(cluster.e1.eval("esb_pubsub_test:publish(pg, <<\"closing\">>, first)")).isEqualTo(new OtpErlangLong(1));
		await().atMost(CONVERGE).until(() -> received.size() == 1);

		subscription.close();
		assertThat(subscription.isActive()).isFalse();
		assertThat(pubSub2.localMembers("closing")).isEmpty();
		awaitMembers("closing", 0);
		assertThat(pubSub1.publish("closing", "second")).isZero();
		assertThat(pubSub2.getSubscriptions()).doesNotContain(subscription);
		// its process is gone: a monitor says noproc, and a message sent straight to its pid is
		// dropped (an Erlang process, sending to the closed pid and then to a live subscription of the
		// same node, is answered by the live one only)
		String closedPid = "binary_to_term(" + termLiteral(subscription.pid()) + ")";
		assertThat(cluster.e1.eval("esb_test:monitor_and_wait(" + closedPid + ", 5000)")).isEqualTo(new OtpErlangAtom("noproc"));
		List<PubSubMessage> barrier = new CopyOnWriteArrayList<>();
		Subscription live = pubSub2.subscribe("closing-barrier", barrier::add);
		cluster.e1.eval("erlang:send(" + closedPid + ", {direct, third}), erlang:send(binary_to_term("
				+ termLiteral(live.pid()) + "), {direct, barrier}), ok");
		await().atMost(CONVERGE).until(() -> barrier.size() == 1);
		assertThat(received).hasSize(1);
		live.close();
	}

	@Test
	void aFailingListenerKeepsItsSubscription() {
		List<Object> handled = new CopyOnWriteArrayList<>();
		pubSub1.subscribe("failing", (message) -> {
			if ("boom".equals(message.payload())) {
				throw new IllegalStateException("listener failed");
			}
			handled.add(message.payload());
		});
		awaitMembers("failing", 1);
		pubSub2.publish("failing", "boom");
		pubSub2.publish("failing", "after");
		await().atMost(CONVERGE).until(() -> handled.contains("after"));
	}

	@Test
	void otherMessagesToASubscriberArriveWholeUnderItsTopic() {
		AtomicReference<PubSubMessage> received = new AtomicReference<>();
		Subscription subscription = pubSub1.subscribe(Atom.of("direct"), received::set);
		cluster.e1.eval("erlang:send(binary_to_term(" + termLiteral(subscription.pid()) + "), {hello, 1})");
		await().atMost(CONVERGE).until(() -> received.get() != null);
		assertThat(received.get().topic()).isEqualTo(Atom.of("direct"));
		assertThat(received.get().payloadTerm()).hasToString("{hello,1}");
	}

	@Test
	void aSubscriberAnswersSysAndStillTakesCastsAsMessages() {
		List<PubSubMessage> received = new CopyOnWriteArrayList<>();
		Subscription subscription = pubSub1.subscribe(Atom.of("sys_topic"), received::add);
		String pid = "binary_to_term(" + termLiteral(subscription.pid()) + ")";
		assertThat(cluster.e1.eval("{status, P, {module, M}, [_, S, _, _, _]} = sys:get_status(" + pid
				+ "), {P =:= " + pid + ", M, S}").toString()).isEqualTo("{true,gen_server,running}");
		cluster.e1.eval("gen_server:cast(" + pid + ", hello)");
		await().atMost(CONVERGE).until(() -> received.size() == 1);
		assertThat(received.get(0).payloadTerm()).hasToString("{'$gen_cast',hello}");
		assertThat(cluster.e1.eval("S = sys:get_state(" + pid + "), {maps:get(group, S), maps:get(delivered, S)}")
			.toString()).isEqualTo("{sys_topic,1}");
		subscription.close();
	}

	@Test
	void topicsAreTermsSeenByErlangAsSuch() {
		pubSub1.subscribe(Atom.of("room"), (message) -> {
		});
		pubSub2.subscribe(List.of("a", 1), (message) -> {
		});
		await().atMost(CONVERGE).untilAsserted(() -> {
			assertThat(cluster.e1.eval("lists:member(room, pg:which_groups(pg))")).hasToString("true");
			assertThat(Cluster.erlangMembers(cluster.e2, "pg", "[<<\"a\">>, 1]")).hasSize(1);
			assertThat(pubSub2.topics()).contains(Atom.of("room"), List.of("a", 1L));
		});
	}

	@Test
	void aJoinedMailboxReceivesTheHornbeamShape() throws Exception {
		Mailbox mailbox = cluster.track(cluster.j2.createMailbox());
		pubSub2.join("mailbox", mailbox.self());
		awaitMembers("mailbox", 1);
		assertThat(pubSub1.publish("mailbox", 42)).isEqualTo(1);
		assertThat(mailbox.receive(Duration.ofSeconds(5))).hasToString("{pubsub,#Bin<7>,42}");
		assertThat(pubSub2.leave("mailbox", mailbox.self())).isTrue();
		awaitMembers("mailbox", 0);
	}

	/** {@code <<131, ...>>}: the pid in the external format, so Erlang source can name a Java pid. */
	private static String termLiteral(OtpErlangPid pid) {
		com.ericsson.otp.erlang.OtpOutputStream out = new com.ericsson.otp.erlang.OtpOutputStream();
		out.write1(131);
		out.write_any(pid);
		StringBuilder text = new StringBuilder("<<");
		byte[] bytes = out.toByteArray();
		for (int i = 0; i < bytes.length; i++) {
			text.append((i > 0) ? "," : "").append(bytes[i] & 0xFF);
		}
		return text.append(">>").toString();
	}

}
