package io.github.erlangspring.node;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.str;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code net_kernel}, {@code rex} and the group leader without {@code erl}, asked by a local
 * mailbox: each answers on the thread that asks (the answer is in the asker's mailbox when the
 * send returns), answers {@code sys}, and {@code rex} runs its calls on the RPC executor,
 * refuses them past the limit, and holds them while suspended. ({@code NetKernelAndRexSysTests}
 * asks them from a real {@code erl}.)
 */
class SystemProcessesTests {

	private static final String NODE = "sys@127.0.0.1";

	private final ProcessTable table = new ProcessTable(NODE, 1);

	private final Signals signals = new Signals(this.table, null);

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final ProcessScheduler scheduler = new ProcessScheduler(false, 1, 1, 64, this.timer);

	/** The RPC executor, run by hand: what {@code rex} handed over and has not run yet. */
	private final Queue<Runnable> rpcExecutor = new ArrayDeque<>();

	private final RpcServer rpcServer = new RpcServer(this.table, this.signals, this.rpcExecutor::add);

	private final DefaultMailbox asker = new DefaultMailbox(this.table.newPid(), this.signals, 0);

	private int refs;

	SystemProcessesTests() {
		this.table.add(this.asker);
		this.rpcServer.functions(new SimpleFunctionTable().register("java", "add", 2,
				(call) -> num(((OtpErlangLong) call.args().get(0)).longValue()
						+ ((OtpErlangLong) call.args().get(1)).longValue())));
		SystemProcesses.start(this.table, this.signals, this.scheduler, "net_kernel", new SystemProcesses.NetKernel(NODE));
		SystemProcesses.start(this.table, this.signals, this.scheduler, "rex",
				new SystemProcesses.Rex(this.signals, this.rpcServer));
	}

	@AfterEach
	void stop() {
		this.scheduler.close();
		this.timer.shutdownNow();
	}

	@Test
	void netKernelAnswersPingAndSysOnTheAskingThread() throws Exception {
		OtpErlangRef ref = ref();
		send("net_kernel", tuple(atom("$gen_call"), tuple(this.asker.self(), ref), tuple(atom("is_auth"), atom("erl@host"))));
		assertThat(answer()).isEqualTo(tuple(ref, atom("yes")));
		assertThat(sys("net_kernel", atom("get_state")))
			.isEqualTo(new OtpErlangMap(new OtpErlangObject[] { atom("node") }, new OtpErlangObject[] { atom(NODE) }));
		OtpErlangTuple status = (OtpErlangTuple) sys("net_kernel", atom("get_status"));
		assertThat(status.elementAt(0)).isEqualTo(atom("status"));
		assertThat(status.elementAt(1)).isEqualTo(this.table.named("net_kernel").pid);
		assertThat(status.elementAt(2)).isEqualTo(tuple(atom("module"), atom("gen_server")));
		assertThat(((OtpErlangList) status.elementAt(3)).elementAt(1)).isEqualTo(atom("running"));
	}

	@Test
	void rexRunsACallOnTheRpcExecutorWhichReplies() throws Exception {
		OtpErlangRef ref = ref();
		send("rex", rexCall(ref, "block_call", num(1), num(2)));
		assertThat(this.asker.queueSize()).as("no reply before the function ran").isZero();
		assertThat(sys("rex", atom("get_state"))).isEqualTo(running(1));
		this.rpcExecutor.remove().run();
		assertThat(answer()).isEqualTo(tuple(ref, num(3)));
		assertThat(sys("rex", atom("get_state"))).isEqualTo(running(0));
	}

	@Test
	void rexRefusesACallPastTheLimitWithSystemLimit() throws Exception {
		this.rpcServer.limitConcurrentCalls(0);
		OtpErlangRef ref = ref();
		send("rex", rexCall(ref, "call", num(1), num(2)));
		assertThat(answer()).isEqualTo(tuple(ref, tuple(atom("badrpc"), atom("system_limit"))));
		assertThat(this.rpcExecutor).isEmpty();
	}

	@Test
	void aSuspendedRexHoldsCallsUntilResumedAndStillAnswersSys() throws Exception {
		assertThat(sys("rex", atom("suspend"))).isEqualTo(atom("ok"));
		OtpErlangRef ref = ref();
		send("rex", rexCall(ref, "call", num(20), num(22)));
		assertThat(this.rpcExecutor).isEmpty();
		OtpErlangTuple status = (OtpErlangTuple) sys("rex", atom("get_status"));
		assertThat(((OtpErlangList) status.elementAt(3)).elementAt(1)).isEqualTo(atom("suspended"));
		assertThat(sys("rex", atom("resume"))).isEqualTo(atom("ok"));
		assertThat(this.rpcExecutor).hasSize(1);
		this.rpcExecutor.remove().run();
		assertThat(answer()).isEqualTo(tuple(ref, num(42)));
	}

	@Test
	void rexAnswersTheFeatureProbe() throws Exception {
		send("rex", tuple(this.asker.self(), atom("features_request")));
		assertThat(answer()).isEqualTo(tuple(atom("features_reply"), atom(NODE), list(atom("erpc"))));
	}

	@Test
	void theGroupLeaderTakesOutputRefusesInputAndAnswersSys() throws Exception {
		ScheduledProcess leader = SystemProcesses.start(this.table, this.signals, this.scheduler, null,
				new SystemProcesses.GroupLeader(this.signals));
		OtpErlangRef ref = ref();
		this.signals.send(this.asker.self(), leader.pid, tuple(atom("io_request"), this.asker.self(), ref,
				tuple(atom("put_chars"), atom("unicode"), str("hello"))));
		assertThat(answer()).isEqualTo(tuple(atom("io_reply"), ref, atom("ok")));
		this.signals.send(this.asker.self(), leader.pid, tuple(atom("io_request"), this.asker.self(), ref,
				tuple(atom("get_line"), atom("unicode"), str("> "))));
		assertThat(answer()).isEqualTo(tuple(atom("io_reply"), ref, tuple(atom("error"), atom("enotsup"))));
		OtpErlangTuple chars = tuple(atom("put_chars"), atom("unicode"), str("a"));
		this.signals.send(this.asker.self(), leader.pid, tuple(atom("io_request"), this.asker.self(), ref,
				tuple(atom("requests"), list(chars, chars))));
		assertThat(answer()).isEqualTo(tuple(atom("io_reply"), ref, atom("ok")));
		// the protocol's requests do not nest: no recursion a peer could drive
		this.signals.send(this.asker.self(), leader.pid, tuple(atom("io_request"), this.asker.self(), ref,
				tuple(atom("requests"), list(tuple(atom("requests"), list(chars))))));
		assertThat(answer()).isEqualTo(tuple(atom("io_reply"), ref, tuple(atom("error"), atom("enotsup"))));
		OtpErlangRef sys = ref();
		this.signals.send(this.asker.self(), leader.pid,
				tuple(atom("system"), tuple(this.asker.self(), sys), atom("get_state")));
		assertThat(answer()).isEqualTo(tuple(sys, atom("undefined")));
	}

	private OtpErlangTuple rexCall(OtpErlangRef ref, String kind, OtpErlangObject a, OtpErlangObject b) {
		return tuple(atom("$gen_call"), tuple(this.asker.self(), ref),
				tuple(atom(kind), atom("java"), atom("add"), list(a, b), this.asker.self()));
	}

	private static OtpErlangMap running(long calls) {
		return new OtpErlangMap(new OtpErlangObject[] { atom("running") }, new OtpErlangObject[] { num(calls) });
	}

	@Test
	void aPermanentSystemProcessIsStartedAgainUnderItsNameUntilItsRestartsRunOut() throws Exception {
		SystemProcesses.startPermanent(this.table, this.signals, this.scheduler, "esb_permanent",
				new SystemProcesses.NetKernel(NODE), () -> true);
		Set<OtpErlangPid> pids = new HashSet<>();
		for (int i = 0; i <= SystemProcesses.MAX_RESTARTS; i++) {
			LocalProcess current = this.table.named("esb_permanent");
			assertThat(current).as("after %d restarts", i).isNotNull();
			pids.add(current.pid);
			assertThat(sys("esb_permanent", tuple(atom("terminate"), atom("going")))).isEqualTo(atom("ok"));
			assertThat(current.isAlive()).isFalse();
		}
		// the sixth exit within the period: it stays down
		assertThat(this.table.named("esb_permanent")).isNull();
		assertThat(pids).hasSize(SystemProcesses.MAX_RESTARTS + 1);
	}

	@Test
	void aPermanentSystemProcessIsNotStartedAgainOnceTheNodeStops() throws Exception {
		SystemProcesses.startPermanent(this.table, this.signals, this.scheduler, "esb_stopping",
				new SystemProcesses.NetKernel(NODE), () -> false);
		assertThat(sys("esb_stopping", tuple(atom("terminate"), atom("shutdown")))).isEqualTo(atom("ok"));
		assertThat(this.table.named("esb_stopping")).isNull();
	}

	private void send(String name, OtpErlangObject message) {
		this.signals.send(this.asker.self(), name, NODE, message);
	}

	private OtpErlangObject sys(String name, OtpErlangObject request) throws Exception {
		OtpErlangRef ref = ref();
		send(name, tuple(atom("system"), tuple(this.asker.self(), ref), request));
		OtpErlangTuple reply = (OtpErlangTuple) answer();
		assertThat(reply.elementAt(0)).isEqualTo(ref);
		return reply.elementAt(1);
	}

	/** @return the answer, already in the asker's mailbox: the process ran on the asking thread */
	private OtpErlangObject answer() throws Exception {
		assertThat(this.asker.queueSize()).as("answered on the asking thread").isEqualTo(1);
		return this.asker.receive(java.time.Duration.ZERO);
	}

	private OtpErlangRef ref() {
		return new OtpErlangRef(NODE, new int[] { ++this.refs, 0, 0 }, 1);
	}

}
