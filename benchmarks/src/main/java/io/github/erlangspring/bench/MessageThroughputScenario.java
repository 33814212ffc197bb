package io.github.erlangspring.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;

/**
 * C. One-way messages between N sender/receiver pairs, in one direction, of a small term
 * ({@code {ping, 12345}}) or a 10 KB binary. A "call" is a batch: 100 messages, then a sync
 * round trip ({@code {esb_sync, From, Tag}} answered {@code {esb_synced, Tag}} by the receiver
 * once it has taken everything before it), so that senders cannot outrun receivers and queues
 * stay bounded: messages/s = calls/s &times; 100.
 */
final class MessageThroughputScenario implements Scenario {

	static final int BATCH = 100;

	private static final OtpErlangAtom MSG = new OtpErlangAtom("esb_msg");

	private static final OtpErlangAtom SYNC = new OtpErlangAtom("esb_sync");

	private static final OtpErlangAtom SYNCED = new OtpErlangAtom("esb_synced");

	private static final String ERLANG_SINK = "esb_bench_sink_";

	private final boolean toJava;

	private final boolean big;

	MessageThroughputScenario(boolean toJava, boolean big) {
		this.toJava = toJava;
		this.big = big;
	}

	@Override
	public String id() {
		return "messages-" + (this.toJava ? "to-java" : "from-java") + (this.big ? "-10k" : "-small");
	}

	@Override
	public String title() {
		return (this.toJava ? "C1" : "C2") + ". one-way messages (batches of " + BATCH + "), "
				+ (this.toJava ? "Erlang → Java" : "Java → Erlang") + ", " + (this.big ? "10 KB binary" : "{ping, 12345}");
	}

	@Override
	public List<String> notes(BenchContext context) {
		String receiver = this.toJava ? "a receiving thread per pair on the Java node" : "a sink process per pair on an erl node";
		return List.of("N senders, each with its own receiver (" + receiver + "); one call = " + BATCH
				+ " messages `{esb_msg, Payload}` and a sync round trip, so **messages/s = calls/s × " + BATCH
				+ "** and p50/p99 are per batch.",
				"`erlang`: processes of one erl node send to sink processes of the other (the same in both directions).",
				this.toJava ? "`jinterface` / `esb`: erl processes send to registered `OtpMbox`es / `Mailbox`es, each drained by a Java thread; timed in Erlang."
						: "`jinterface` / `esb`: Java threads, one `OtpMbox` / `Mailbox` each, send to the erl sinks by registered name; timed in Java.");
	}

	@Override
	public void run(BenchContext context, ResultSink results) throws Exception {
		OtpErlangObject payload = this.big ? new OtpErlangBinary(filled(10 * 1024)) : BenchContext.REQUEST;
		String payloadSource = this.big ? "binary:copy(<<7>>, 10240)" : "esb_bench:request()";
		String server = context.server().nodeName();
		int most = context.options().concurrency().stream().mapToInt(Integer::intValue).max().orElse(1);
		context.server().eval("esb_bench:start_sinks(\"" + ERLANG_SINK + "\", " + most + "), ok");
		try (BenchContext.JInterfaceNode jinterface = context.startJInterfaceNode("esb_bench_ji");
				ErlangNode esb = context.startErlangNode("esb_bench_j")) {
			for (int n : context.options().concurrency()) {
				if (context.wants(Variants.ERLANG)) {
					context.progress(id() + ": erlang, " + n + " pairs");
					results.add(new Result(id(), Variants.ERLANG, "Erlang → Erlang", n, "erlang",
							context.erlangLoad(batchTarget(ERLANG_SINK, server, n), n, payloadSource)));
				}
				if (this.toJava) {
					if (context.wants(Variants.JINTERFACE)) {
						context.progress(id() + ": jinterface, " + n + " pairs");
						try (Receivers receivers = Receivers.jinterface(jinterface, "esb_bench_jsink_", n)) {
							results.add(new Result(id(), Variants.JINTERFACE, "Erlang → JInterface OtpMbox", n, "erlang",
									context.erlangLoad(batchTarget("esb_bench_jsink_", jinterface.name(), n), n, payloadSource)));
						}
					}
					if (context.wants(Variants.ESB)) {
						context.progress(id() + ": esb, " + n + " pairs");
						try (Receivers receivers = Receivers.esb(esb, "esb_bench_esink_", n)) {
							results.add(new Result(id(), Variants.ESB, "Erlang → ErlangNode Mailbox", n, "erlang",
									context.erlangLoad(batchTarget("esb_bench_esink_", esb.name(), n), n, payloadSource)));
						}
					}
				}
				else {
					if (context.wants(Variants.JINTERFACE)) {
						context.progress(id() + ": jinterface, " + n + " senders");
						results.add(new Result(id(), Variants.JINTERFACE, "JInterface OtpMbox → Erlang", n, "java",
								context.javaLoad(id() + "-ji", n, (i) -> jinterfaceSender(jinterface, server, i, payload))));
					}
					if (context.wants(Variants.ESB)) {
						context.progress(id() + ": esb, " + n + " senders");
						results.add(new Result(id(), Variants.ESB, "ErlangNode Mailbox → Erlang", n, "java",
								context.javaLoad(id() + "-esb", n, (i) -> esbSender(esb, server, i, payload))));
					}
				}
			}
		}
	}

	private static byte[] filled(int size) {
		byte[] bytes = new byte[size];
		Arrays.fill(bytes, (byte) 7);
		return bytes;
	}

	/** @return {@code {batch, {{Prefix1, Node}, ...}, 100}} */
	private static String batchTarget(String prefix, String node, int n) {
		StringJoiner dests = new StringJoiner(", ", "{", "}");
		for (int i = 1; i <= n; i++) {
			dests.add("{" + prefix + i + ", " + BenchContext.quoted(node) + "}");
		}
		return "{batch, " + dests + ", " + BATCH + "}";
	}

	private static JavaLoad.Caller jinterfaceSender(BenchContext.JInterfaceNode node, String server, int index,
			OtpErlangObject payload) {
		OtpMbox mbox = node.node().createMbox();
		String sink = ERLANG_SINK + (index + 1);
		OtpErlangTuple message = new OtpErlangTuple(new OtpErlangObject[] { MSG, payload });
		long[] seq = new long[1];
		return () -> {
			for (int i = 0; i < BATCH; i++) {
				mbox.send(sink, server, message);
			}
			OtpErlangLong tag = new OtpErlangLong(++seq[0]);
			mbox.send(sink, server, new OtpErlangTuple(new OtpErlangObject[] { SYNC, mbox.self(), tag }));
			expectSynced(mbox.receive(5000), tag);
		};
	}

	private static JavaLoad.Caller esbSender(ErlangNode node, String server, int index, OtpErlangObject payload) {
		Mailbox mailbox = node.createMailbox();
		String sink = ERLANG_SINK + (index + 1);
		OtpErlangTuple message = new OtpErlangTuple(new OtpErlangObject[] { MSG, payload });
		long[] seq = new long[1];
		return () -> {
			for (int i = 0; i < BATCH; i++) {
				mailbox.send(sink, server, message);
			}
			OtpErlangLong tag = new OtpErlangLong(++seq[0]);
			mailbox.send(sink, server, new OtpErlangTuple(new OtpErlangObject[] { SYNC, mailbox.self(), tag }));
			expectSynced(mailbox.receive(java.time.Duration.ofSeconds(5)), tag);
		};
	}

	private static void expectSynced(OtpErlangObject answer, OtpErlangLong tag) {
		if (!(answer instanceof OtpErlangTuple t && t.arity() == 2 && SYNCED.equals(t.elementAt(0))
				&& tag.equals(t.elementAt(1)))) {
			throw new IllegalStateException("expected {esb_synced, " + tag + "}, got " + answer);
		}
	}

	/** Java threads draining registered mailboxes and answering syncs, one thread per mailbox. */
	private static final class Receivers implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final List<Thread> threads = new ArrayList<>();

		private final List<AutoCloseable> mailboxes = new ArrayList<>();

		static Receivers jinterface(BenchContext.JInterfaceNode node, String prefix, int n) {
			Receivers receivers = new Receivers();
			for (int i = 1; i <= n; i++) {
				OtpMbox mbox = node.node().createMbox(prefix + i);
				receivers.mailboxes.add(mbox::close);
				receivers.start(prefix + i, () -> {
					OtpErlangObject message = mbox.receive(200);
					if (message instanceof OtpErlangTuple t && t.arity() == 3 && SYNC.equals(t.elementAt(0))) {
						mbox.send((OtpErlangPid) t.elementAt(1), synced(t.elementAt(2)));
					}
				});
			}
			return receivers;
		}

		static Receivers esb(ErlangNode node, String prefix, int n) {
			Receivers receivers = new Receivers();
			for (int i = 1; i <= n; i++) {
				Mailbox mailbox = node.createMailbox(prefix + i);
				receivers.mailboxes.add(mailbox);
				receivers.start(prefix + i, () -> {
					OtpErlangObject message = mailbox.receive(java.time.Duration.ofMillis(200));
					if (message instanceof OtpErlangTuple t && t.arity() == 3 && SYNC.equals(t.elementAt(0))) {
						mailbox.send((OtpErlangPid) t.elementAt(1), synced(t.elementAt(2)));
					}
				});
			}
			return receivers;
		}

		private static OtpErlangTuple synced(OtpErlangObject tag) {
			return new OtpErlangTuple(new OtpErlangObject[] { SYNCED, tag });
		}

		private void start(String name, JavaLoad.Caller step) {
			Thread thread = new Thread(() -> {
				while (this.running.get()) {
					try {
						step.call();
					}
					catch (Exception ex) {
						if (this.running.get()) {
							BenchContext.log("receiver " + name + " failed: " + ex);
						}
						return;
					}
				}
			}, "bench-receiver-" + name);
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}

		@Override
		public void close() throws Exception {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join(2000);
			}
			for (AutoCloseable mailbox : this.mailboxes) {
				mailbox.close();
			}
		}

	}

}
