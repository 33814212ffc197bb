package io.github.erlangspring.bench;

import java.util.ArrayList;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangExit;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.SimpleFunctionTable;

/**
 * B. Erlang processes calling a trivial function (it returns its argument) on another node, all
 * from processes of the driver node and timed there:
 * <ol>
 * <li>{@code erlang}: {@code erpc:call(Server, esb_bench, echo, [Req])} into the other erl node</li>
 * <li>{@code jinterface}: JInterface cannot serve erpc ({@code {badrpc, notsup}}), so the closest a
 * user can do: {@code gen_server:call({esb_bench_jsrv, JavaNode}, Req)} into a registered
 * {@link OtpMbox} served by a thread that replies {@code {Tag, Req}}</li>
 * <li>{@code esb}: {@code erpc:call(JavaNode, esb_bench_java, echo, [Req])} into an
 * {@link ErlangNode} serving the function from a {@link SimpleFunctionTable}</li>
 * </ol>
 */
final class ErpcIntoJavaScenario implements Scenario {

	private static final String JINTERFACE_SERVER = "esb_bench_jsrv";

	private static final OtpErlangAtom GEN_CALL = new OtpErlangAtom("$gen_call");

	@Override
	public String id() {
		return "erpc-into-java";
	}

	@Override
	public String title() {
		return "B. erpc:call round trip, Erlang callers → trivial function (Erlang → Java)";
	}

	@Override
	public List<String> notes(BenchContext context) {
		int threads = context.options().jinterfaceServerThreads();
		return List.of("N processes on an erl node call in a closed loop; every variant is timed in Erlang "
				+ "(erlang:monotonic_time), the function returns its argument `{ping, 12345}`.",
				"`erlang`: `erpc:call(OtherErlNode, esb_bench, echo, [Req])`.",
				"`jinterface`: **not erpc**: JInterface cannot serve erpc/rpc (`{badrpc, notsup}`), so this is the closest "
						+ "thing a user can do: `gen_server:call({esb_bench_jsrv, JavaNode}, Req)` into one registered "
						+ "OtpMbox served by " + threads + " Java thread" + ((threads == 1) ? "" : "s")
						+ " (a gen_server-like receive loop replying `{Tag, Req}`).",
				"`esb`: `erpc:call(JavaNode, esb_bench_java, echo, [Req])` into ErlangNode with a SimpleFunctionTable "
						+ "function `call -> call.args().get(0)` (the node's default RPC pool).");
	}

	@Override
	public void run(BenchContext context, ResultSink results) throws Exception {
		String serverNode = context.server().nodeName();
		try (BenchContext.JInterfaceNode jinterface = context.startJInterfaceNode("esb_bench_ji");
				ErlangNode esb = context.startErlangNode("esb_bench_j")) {
			esb.setFunctionTable(new SimpleFunctionTable().register("esb_bench_java", "echo", 1,
					(call) -> call.args().get(0)));
			OtpMbox mbox = jinterface.node().createMbox(JINTERFACE_SERVER);
			List<Thread> servers = new ArrayList<>();
			for (int i = 0; i < context.options().jinterfaceServerThreads(); i++) {
				Thread server = new Thread(() -> serve(mbox), "bench-jinterface-server-" + i);
				server.setDaemon(true);
				server.start();
				servers.add(server);
			}
			try {
				for (int n : context.options().concurrency()) {
					if (context.wants(Variants.ERLANG)) {
						context.progress(id() + ": erlang, " + n + " callers");
						results.add(new Result(id(), Variants.ERLANG, "Erlang → Erlang erpc", n, "erlang",
								context.erlangLoad("{erpc, " + BenchContext.quoted(serverNode) + ", esb_bench, echo}", n)));
					}
					if (context.wants(Variants.JINTERFACE)) {
						context.progress(id() + ": jinterface, " + n + " callers");
						results.add(new Result(id(), Variants.JINTERFACE,
								"Erlang → JInterface OtpMbox (gen_server:call, not erpc)", n, "erlang",
								context.erlangLoad("{gen_call, {" + JINTERFACE_SERVER + ", "
										+ BenchContext.quoted(jinterface.name()) + "}}", n)));
					}
					if (context.wants(Variants.ESB)) {
						context.progress(id() + ": esb, " + n + " callers");
						results.add(new Result(id(), Variants.ESB, "Erlang → ErlangNode erpc", n, "erlang", context
							.erlangLoad("{erpc, " + BenchContext.quoted(esb.name()) + ", esb_bench_java, echo}", n)));
					}
				}
			}
			finally {
				mbox.close();
				for (Thread server : servers) {
					server.join(2000);
				}
			}
		}
	}

	/** The JInterface user's server loop: answers {@code {'$gen_call', {Pid, Tag}, Req}} with {@code {Tag, Req}}. */
	private static void serve(OtpMbox mbox) {
		while (true) {
			OtpErlangObject message;
			try {
				message = mbox.receive(200);
			}
			catch (OtpErlangExit ex) {
				return;
			}
			catch (Exception ex) {
				continue;
			}
			if (message == null) {
				if (mbox.getName() == null) { // closed
					return;
				}
				continue;
			}
			if (message instanceof OtpErlangTuple call && call.arity() == 3 && GEN_CALL.equals(call.elementAt(0))
					&& call.elementAt(1) instanceof OtpErlangTuple from && from.arity() == 2
					&& from.elementAt(0) instanceof OtpErlangPid pid) {
				mbox.send(pid, new OtpErlangTuple(new OtpErlangObject[] { from.elementAt(1), call.elementAt(2) }));
			}
		}
	}

}
