package io.github.erlangspring.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import com.ericsson.otp.erlang.OtpNode;
import io.github.erlangspring.node.ErlangNode;

/**
 * A. Round-trip {@code gen_server:call} to esb_bench_echo on the server node (it replies with the
 * request), from:
 * <ol>
 * <li>{@code erlang}: processes of the driver node ({@code gen_server:call({esb_bench_echo, Server}, Req)})</li>
 * <li>{@code jinterface}: Java threads, each with its own {@link OtpMbox}, sending
 * {@code {'$gen_call', {Self, Ref}, Req}} and receiving {@code {Ref, Reply}}</li>
 * <li>{@code esb}: Java threads calling {@link ErlangNode#call(String, String, OtpErlangObject, Duration)}
 * and blocking on {@code get()}</li>
 * </ol>
 */
final class GenServerCallScenario implements Scenario {

	static final String SERVER_NAME = "esb_bench_echo";

	private static final OtpErlangAtom GEN_CALL = new OtpErlangAtom("$gen_call");

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@Override
	public String id() {
		return "genserver-call";
	}

	@Override
	public String title() {
		return "A. gen_server:call round trip, callers → Erlang gen_server (Java → Erlang)";
	}

	@Override
	public List<String> notes(BenchContext context) {
		return List.of("The server is one gen_server (`esb_bench_echo`) on an erl node, replying with the request "
				+ "`{ping, 12345}`; N callers in a closed loop.",
				"`erlang`: N processes on a second erl node call it; timed in Erlang (erlang:monotonic_time).",
				"`jinterface`: N Java threads, one OtpMbox each, send `{'$gen_call', {Self, Ref}, Req}` and receive the "
						+ "reply (no monitor, as a JInterface user writes it); timed with System.nanoTime.",
				"`esb`: N Java threads call `ErlangNode.call(name, node, req, 5s).get()` (monitor + alias, as "
						+ "gen_server:call); timed with System.nanoTime.");
	}

	@Override
	public void run(BenchContext context, ResultSink results) throws Exception {
		String serverNode = context.server().nodeName();
		context.server().eval("esb_bench:start_server()");
		try (BenchContext.JInterfaceNode jinterface = context.startJInterfaceNode("esb_bench_ji");
				ErlangNode esb = context.startErlangNode("esb_bench_j")) {
			for (int n : context.options().concurrency()) {
				if (context.wants(Variants.ERLANG)) {
					context.progress(id() + ": erlang, " + n + " callers");
					results.add(new Result(id(), Variants.ERLANG, "Erlang → Erlang", n, "erlang", context.erlangLoad(
							"{gen_call, {" + SERVER_NAME + ", " + BenchContext.quoted(serverNode) + "}}", n)));
				}
				if (context.wants(Variants.JINTERFACE)) {
					context.progress(id() + ": jinterface, " + n + " callers");
					List<OtpMbox> mboxes = new ArrayList<>();
					try {
						Stats stats = context.javaLoad("ji", n, (i) -> {
							OtpMbox mbox = jinterface.node().createMbox();
							mboxes.add(mbox);
							return () -> jinterfaceCall(jinterface.node(), mbox, serverNode);
						});
						results.add(new Result(id(), Variants.JINTERFACE, "JInterface OtpMbox → Erlang", n, "java", stats));
					}
					finally {
						mboxes.forEach(OtpMbox::close);
					}
				}
				if (context.wants(Variants.ESB)) {
					context.progress(id() + ": esb, " + n + " callers");
					results.add(new Result(id(), Variants.ESB, "ErlangNode.call → Erlang", n, "java",
							context.javaLoad("esb", n, (i) -> () -> check(esb.call(SERVER_NAME, serverNode,
									BenchContext.REQUEST, TIMEOUT).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)))));
				}
			}
		}
	}

	private static void jinterfaceCall(OtpNode node, OtpMbox mbox, String serverNode) throws Exception {
		OtpErlangRef ref = node.createRef();
		OtpErlangTuple from = new OtpErlangTuple(new OtpErlangObject[] { mbox.self(), ref });
		mbox.send(SERVER_NAME, serverNode, new OtpErlangTuple(new OtpErlangObject[] { GEN_CALL, from, BenchContext.REQUEST }));
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (true) {
			long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			OtpErlangObject message = (left > 0) ? mbox.receive(left) : null;
			if (message == null) {
				throw new TimeoutException("no reply from " + SERVER_NAME);
			}
			if (message instanceof OtpErlangTuple reply && reply.arity() == 2 && ref.equals(reply.elementAt(0))) {
				check(reply.elementAt(1));
				return;
			}
			// a late reply to an earlier, timed-out call: drop it
		}
	}

	static void check(OtpErlangObject reply) {
		if (!BenchContext.REQUEST.equals(reply)) {
			throw new IllegalStateException("unexpected reply " + reply);
		}
	}

}
