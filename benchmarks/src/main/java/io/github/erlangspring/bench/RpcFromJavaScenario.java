package io.github.erlangspring.bench;

import java.time.Duration;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import io.github.erlangspring.node.ErlangNode;

/**
 * E. Java threads call a trivial Erlang function ({@code esb_bench:echo/1}) on an erl node; the
 * reference is the same call made by processes of another erl node.
 */
final class RpcFromJavaScenario implements Scenario {

	private static final OtpErlangAtom REX = new OtpErlangAtom("rex");

	@Override
	public String id() {
		return "rpc-from-java";
	}

	@Override
	public String title() {
		return "E. rpc round trip, Java callers → esb_bench:echo/1 (Java → Erlang)";
	}

	@Override
	public List<String> notes(BenchContext context) {
		return List.of("N callers in a closed loop; the function returns its argument `{ping, 12345}`.",
				"`erlang`: processes of another erl node, `erpc:call(Node, esb_bench, echo, [Req])`, timed in Erlang.",
				"`jinterface`: what JInterface offers (`OtpConnection.sendRPC`'s protocol): each thread's `OtpMbox` sends "
						+ "`{Self, {call, esb_bench, echo, [Req], user}}` to `rex` and waits for `{rex, Reply}`; timed in Java.",
				"`esb`: `ErlangNode.rpc(Node, \"esb_bench\", \"echo\", [Req], 5 s).get()` (erpc: a spawn request); timed in Java.");
	}

	@Override
	public void run(BenchContext context, ResultSink results) throws Exception {
		String server = context.server().nodeName();
		OtpErlangList args = new OtpErlangList(BenchContext.REQUEST);
		try (BenchContext.JInterfaceNode jinterface = context.startJInterfaceNode("esb_bench_ji");
				ErlangNode esb = context.startErlangNode("esb_bench_j")) {
			for (int n : context.options().concurrency()) {
				if (context.wants(Variants.ERLANG)) {
					context.progress(id() + ": erlang, " + n + " callers");
					results.add(new Result(id(), Variants.ERLANG, "Erlang → Erlang erpc", n, "erlang",
							context.erlangLoad("{erpc, " + BenchContext.quoted(server) + ", esb_bench, echo}", n)));
				}
				if (context.wants(Variants.JINTERFACE)) {
					context.progress(id() + ": jinterface, " + n + " callers");
					results.add(new Result(id(), Variants.JINTERFACE, "JInterface → Erlang rex", n, "java",
							context.javaLoad(id() + "-ji", n, (i) -> {
								OtpMbox mbox = jinterface.node().createMbox();
								OtpErlangTuple request = new OtpErlangTuple(new OtpErlangObject[] { mbox.self(),
										new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("call"),
												new OtpErlangAtom("esb_bench"), new OtpErlangAtom("echo"), args,
												new OtpErlangAtom("user") }) });
								return () -> {
									mbox.send("rex", server, request);
									OtpErlangObject answer = mbox.receive(5000);
									if (!(answer instanceof OtpErlangTuple t && t.arity() == 2 && REX.equals(t.elementAt(0))
											&& BenchContext.REQUEST.equals(t.elementAt(1)))) {
										throw new IllegalStateException("unexpected rex answer " + answer);
									}
								};
							})));
				}
				if (context.wants(Variants.ESB)) {
					context.progress(id() + ": esb, " + n + " callers");
					results.add(new Result(id(), Variants.ESB, "ErlangNode → Erlang erpc", n, "java",
							context.javaLoad(id() + "-esb", n, (i) -> () -> {
								OtpErlangObject answer = esb.rpc(server, "esb_bench", "echo", args, Duration.ofSeconds(5)).get();
								if (!BenchContext.REQUEST.equals(answer)) {
									throw new IllegalStateException("unexpected answer " + answer);
								}
							})));
				}
			}
		}
	}

}
