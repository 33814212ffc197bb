package io.github.erlangspring.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.GenResult;
import io.github.erlangspring.node.GenServerProcess;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.SpawnOptions;

/**
 * D. Erlang processes {@code gen_server:call} a server that replies with the request, timed in
 * Erlang: an Erlang gen_server, a JInterface {@link OtpMbox} served by one thread, and a
 * {@link GenServerProcess} spawned on an {@link ErlangNode} (the behaviour an {@code @ErlangProcess}
 * runs on: the node's scheduler, no thread of its own). Every server handles one call at a time,
 * as a gen_server does.
 */
final class GenServerIntoJavaScenario implements Scenario {

	private static final OtpErlangAtom GEN_CALL = new OtpErlangAtom("$gen_call");

	@Override
	public String id() {
		return "genserver-into-java";
	}

	@Override
	public String title() {
		return "D. gen_server:call round trip, Erlang callers → one server process (Erlang → Java)";
	}

	@Override
	public List<String> notes(BenchContext context) {
		return List.of("N processes on an erl node call in a closed loop, timed in Erlang; the server replies with the "
				+ "request `{ping, 12345}` and handles one call at a time.",
				"`erlang`: `gen_server:call({esb_bench_echo, OtherErlNode}, Req)`.",
				"`jinterface`: into a registered `OtpMbox` drained by one thread that sends `{Tag, Req}` to the caller's pid.",
				"`esb`: into a registered `GenServerProcess` (the engine's gen_server behaviour that an `@ErlangProcess` runs on: "
						+ "no thread of its own, run by the node's scheduler) whose `handleCall` returns `GenResult.reply(Req)`.");
	}

	@Override
	public void run(BenchContext context, ResultSink results) throws Exception {
		context.server().eval("esb_bench:start_server()");
		String server = context.server().nodeName();
		AtomicBoolean running = new AtomicBoolean(true);
		try (BenchContext.JInterfaceNode jinterface = context.startJInterfaceNode("esb_bench_ji");
				ErlangNode esb = context.startErlangNode("esb_bench_j")) {
			OtpMbox mbox = jinterface.node().createMbox("esb_bench_jgsrv");
			// what an @ErlangProcess runs on: the engine's gen_server behaviour, on the node's scheduler
			Mailbox process = esb.spawn(new GenServerProcess((self, request, from) -> GenResult.reply(request)),
					SpawnOptions.DEFAULT.withName("esb_bench_egsrv"));
			Thread jinterfaceServer = daemon("bench-jinterface-gen-server", () -> {
				while (running.get()) {
					OtpErlangObject message = mbox.receive(200);
					if (message instanceof OtpErlangTuple call && call.arity() == 3 && GEN_CALL.equals(call.elementAt(0))
							&& call.elementAt(1) instanceof OtpErlangTuple from && from.arity() == 2) {
						mbox.send((OtpErlangPid) from.elementAt(0),
								new OtpErlangTuple(new OtpErlangObject[] { from.elementAt(1), call.elementAt(2) }));
					}
				}
			});
			try {
				for (int n : context.options().concurrency()) {
					if (context.wants(Variants.ERLANG)) {
						context.progress(id() + ": erlang, " + n + " callers");
						results.add(new Result(id(), Variants.ERLANG, "Erlang → Erlang gen_server", n, "erlang",
								context.erlangLoad("{gen_call, {esb_bench_echo, " + BenchContext.quoted(server) + "}}", n)));
					}
					if (context.wants(Variants.JINTERFACE)) {
						context.progress(id() + ": jinterface, " + n + " callers");
						results.add(new Result(id(), Variants.JINTERFACE, "Erlang → JInterface OtpMbox server", n, "erlang",
								context.erlangLoad("{gen_call, {esb_bench_jgsrv, " + BenchContext.quoted(jinterface.name())
										+ "}}", n)));
					}
					if (context.wants(Variants.ESB)) {
						context.progress(id() + ": esb, " + n + " callers");
						results.add(new Result(id(), Variants.ESB, "Erlang → ErlangNode GenServerProcess", n, "erlang",
								context.erlangLoad("{gen_call, {esb_bench_egsrv, " + BenchContext.quoted(esb.name()) + "}}",
										n)));
					}
				}
			}
			finally {
				running.set(false);
				jinterfaceServer.join(2000);
				mbox.close();
				process.close();
			}
		}
	}

	/** Runs {@code step} until it throws or its thread is stopped. */
	static Thread daemon(String name, JavaLoad.Caller step) {
		Thread thread = new Thread(() -> {
			try {
				step.call();
			}
			catch (Exception ex) {
				BenchContext.log(name + " stopped: " + ex);
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

}
