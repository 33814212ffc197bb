package io.github.erlangspring.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.pubsub.PgScope;
import io.github.erlangspring.pubsub.PubSubTemplate;
import io.github.erlangspring.pubsub.Subscription;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;

/**
 * Publish-to-deliver throughput of pub/sub on pg, one publisher and one subscriber on different
 * nodes, in one run: Erlang to Erlang (two erl nodes, plain pg), Erlang to Java, Java to Erlang
 * and Java to Java ({@link PubSubTemplate} on {@code ErlangNode}). Each round publishes
 * {@code messages} messages {@code {pubsub, Topic, {seq, I}}} as fast as one process or thread
 * can; the figure is messages divided by the time from the first publish to the last delivery
 * (both read from the OS clock, on the same machine). Rounds alternate between the pairs; the
 * median of the measured rounds is reported, after one warm-up round each.
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.github.erlangspring.bench.PubSubThroughput [messages] [rounds] [ebin]
 * </pre>
 */
public final class PubSubThroughput {

	private static final OtpErlangAtom SEQ = new OtpErlangAtom("seq");

	private final ErlangPeer e1;

	private final ErlangPeer e2;

	private final ErlangNode j1;

	private final ErlangNode j2;

	private final PubSubTemplate pubSub1;

	private final PubSubTemplate pubSub2;

	private int topics;

	private PubSubThroughput(ErlangPeer e1, ErlangPeer e2, ErlangNode j1, ErlangNode j2) {
		this.e1 = e1;
		this.e2 = e2;
		this.j1 = j1;
		this.j2 = j2;
		DefaultErlangConverter converter = new DefaultErlangConverter();
		this.pubSub1 = new PubSubTemplate(PgScope.start(j1, "pg"), converter);
		this.pubSub2 = new PubSubTemplate(PgScope.start(j2, "pg"), converter);
	}

	public static void main(String[] args) throws Exception {
		int messages = (args.length > 0) ? Integer.parseInt(args[0]) : 200_000;
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 3;
		Path ebin = Path.of((args.length > 2) ? args[2] : "benchmarks/target/erlang/ebin");
		if (!Files.isRegularFile(ebin.resolve("esb_pubsub_bench.beam"))) {
			throw new IllegalStateException("esb_pubsub_bench.beam is not in " + ebin + ": build the module first");
		}
		ErlangRuntime.ensureEpmd();
		try (ErlangPeer e1 = ErlangPeer.builder().namePrefix("esb_bench_p").codePath(ebin)
			.args("-kernel", "start_pg", "true").start();
				ErlangPeer e2 = ErlangPeer.builder().namePrefix("esb_bench_p").codePath(ebin).cookie(e1.cookie())
					.args("-kernel", "start_pg", "true").start();
				ErlangNode j1 = javaNode(e1.cookie());
				ErlangNode j2 = javaNode(e1.cookie())) {
			PubSubThroughput bench = new PubSubThroughput(e1, e2, j1, j2);
			bench.connect();
			bench.run(messages, rounds);
		}
	}

	private static ErlangNode javaNode(String cookie) throws java.io.IOException {
		return ErlangNode.start(NodeConfig.builder(BenchContext.uniqueNodeName("esb_bench_j")).cookie(cookie).build());
	}

	private void connect() {
		check(this.e1.eval("net_adm:ping(" + BenchContext.quoted(this.e2.nodeName()) + ")"), "pong");
		for (ErlangNode node : List.of(this.j1, this.j2)) {
			for (ErlangPeer peer : List.of(this.e1, this.e2)) {
				if (!node.ping(peer.nodeName(), Duration.ofSeconds(5))) {
					throw new IllegalStateException(node.name() + " cannot reach " + peer.nodeName());
				}
			}
		}
		if (!this.j1.ping(this.j2.name(), Duration.ofSeconds(5))) {
			throw new IllegalStateException("Java nodes cannot reach each other");
		}
	}

	private void run(int messages, int rounds) throws Exception {
		Map<String, List<Double>> rates = new LinkedHashMap<>();
		List<String> pairs = List.of("Erlang -> Erlang", "Erlang -> Java", "Java -> Erlang", "Java -> Java");
		pairs.forEach((pair) -> rates.put(pair, new ArrayList<>()));
		for (int round = 0; round <= rounds; round++) {
			for (String pair : pairs) {
				double rate = switch (pair) {
					case "Erlang -> Erlang" -> erlangToErlang(messages);
					case "Erlang -> Java" -> erlangToJava(messages);
					case "Java -> Erlang" -> javaToErlang(messages);
					default -> javaToJava(messages);
				};
				System.out.printf("%s round %d%s: %,.0f msg/s%n", pair, round, (round == 0) ? " (warm-up)" : "", rate);
				if (round > 0) {
					rates.get(pair).add(rate);
				}
			}
		}
		double erlang = median(rates.get("Erlang -> Erlang"));
		System.out.printf("%n%,d messages per round, median of %d rounds, one publisher and one subscriber%n%n",
				messages, rounds);
		System.out.println("| publisher -> subscriber | msg/s (median) | vs Erlang -> Erlang |");
		System.out.println("|---|---:|---:|");
		rates.forEach((pair, values) -> System.out.printf("| %s | %,.0f | %.2f |%n", pair, median(values),
				median(values) / erlang));
	}

	private String topic() {
		return "bench_" + (++this.topics);
	}

	private double erlangToErlang(int messages) {
		String name = topic();
		String topic = erlTopic(name);
		this.e2.eval("esb_pubsub_bench:counter(pg, " + topic + ", " + messages + ", " + name + ")");
		awaitErlangMembers(this.e1, topic, 1);
		long start = publishFromErlang(topic, messages);
		long last = lastDelivery(this.e2, name);
		return rate(messages, start, last);
	}

	private double erlangToJava(int messages) throws Exception {
		String name = topic();
		Receiver receiver = new Receiver(messages);
		try (Subscription subscription = this.pubSub1.subscribe(name, (message) -> receiver.received())) {
			awaitErlangMembers(this.e1, erlTopic(name), 1);
			long start = publishFromErlang(erlTopic(name), messages);
			return rate(messages, start, receiver.await());
		}
	}

	private double javaToErlang(int messages) {
		String name = topic();
		this.e2.eval("esb_pubsub_bench:counter(pg, " + erlTopic(name) + ", " + messages + ", " + name + ")");
		awaitJavaMembers(this.pubSub1, name);
		long start = publishFromJava(this.pubSub1, name, messages);
		return rate(messages, start, lastDelivery(this.e2, name));
	}

	private double javaToJava(int messages) throws Exception {
		String name = topic();
		Receiver receiver = new Receiver(messages);
		try (Subscription subscription = this.pubSub2.subscribe(name, (message) -> receiver.received())) {
			awaitJavaMembers(this.pubSub1, name);
			long start = publishFromJava(this.pubSub1, name, messages);
			return rate(messages, start, receiver.await());
		}
	}

	private long publishFromErlang(String topic, int messages) {
		OtpErlangTuple times = (OtpErlangTuple) this.e1.eval("esb_pubsub_bench:publish(pg, " + topic + ", " + messages + ")",
				Duration.ofMinutes(5));
		return ((OtpErlangLong) times.elementAt(0)).longValue();
	}

	private static long publishFromJava(PubSubTemplate pubSub, String topic, int messages) {
		long start = nowMicros();
		for (int i = messages; i > 0; i--) {
			pubSub.publish(topic, new OtpErlangTuple(new OtpErlangObject[] { SEQ, new OtpErlangLong(i) }));
		}
		return start;
	}

	private static long lastDelivery(ErlangPeer peer, String counter) {
		OtpErlangObject last = peer.eval("esb_pubsub_bench:await(" + counter + ", 300000)", Duration.ofMinutes(6));
		if (!(last instanceof OtpErlangLong micros)) {
			throw new IllegalStateException("the Erlang subscriber did not get every message: " + last);
		}
		return micros.longValue();
	}

	private static void awaitErlangMembers(ErlangPeer peer, String topic, int count) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (((OtpErlangLong) peer.eval("length(pg:get_members(pg, " + topic + "))")).longValue() != count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("no subscriber of " + topic + " on " + peer.nodeName());
			}
		}
	}

	private static void awaitJavaMembers(PubSubTemplate pubSub, String topic) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (pubSub.members(topic).size() != 1) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("no subscriber of " + topic + " seen from Java");
			}
			Thread.onSpinWait();
		}
	}

	private static String erlTopic(String name) {
		return "<<\"" + name + "\">>";
	}

	private static long nowMicros() {
		Instant now = Instant.now();
		return ChronoUnit.MICROS.between(Instant.EPOCH, now);
	}

	private static double rate(int messages, long startMicros, long lastMicros) {
		return messages / ((lastMicros - startMicros) / 1e6);
	}

	private static double median(List<Double> values) {
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static void check(OtpErlangObject value, String expected) {
		if (!value.toString().equals(expected)) {
			throw new IllegalStateException("expected " + expected + ", got " + value);
		}
	}

	/** Counts deliveries to a Java subscriber and notes the time of the last one. */
	private static final class Receiver {

		private final int expected;

		private final AtomicLong count = new AtomicLong();

		private final CountDownLatch done = new CountDownLatch(1);

		private volatile long lastMicros;

		Receiver(int expected) {
			this.expected = expected;
		}

		void received() {
			if (this.count.incrementAndGet() == this.expected) {
				this.lastMicros = nowMicros();
				this.done.countDown();
			}
		}

		long await() throws InterruptedException {
			if (!this.done.await(5, TimeUnit.MINUTES)) {
				throw new IllegalStateException("the Java subscriber got " + this.count.get() + " of " + this.expected);
			}
			return this.lastMicros;
		}

	}

}
