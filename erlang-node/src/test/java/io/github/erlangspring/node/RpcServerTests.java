package io.github.erlangspring.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.bin;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.node.TestTerms.str;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erlang calling Java: {@code rpc}, {@code erpc}, {@code rex} and remote spawns against Java
 * nodes, compared with what an Erlang node answers where the two can differ.
 */
class RpcServerTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	static final BlockingQueue<OtpErlangObject> casts = new LinkedBlockingQueue<>();

	static volatile CountDownLatch release = new CountDownLatch(1);

	static ErlangPeer peer;

	static ErlangNode node;

	static ErlangNode other;

	static String j;

	@BeforeAll
	static void startNodes() {
		peer = erlang.start();
		node = java.start(peer);
		other = java.start(peer);
		SimpleFunctionTable functions = functions();
		node.setFunctionTable(functions);
		other.setFunctionTable(functions);
		j = q(node.name());
	}

	@AfterEach
	void releaseSlowCalls() {
		release.countDown();
		release = new CountDownLatch(1);
		casts.clear();
	}

	static SimpleFunctionTable functions() {
		return new SimpleFunctionTable().register("esb_test", "echo", 1, (call) -> call.args().get(0))
			.register("java", "add", 2, (call) -> num(longArg(call, 0) + longArg(call, 1)))
			.register("java", "throw", 1, (call) -> {
				throw ErlangRaiseException.throwing(call.args().get(0));
			})
			.register("java", "exit", 1, (call) -> {
				throw ErlangRaiseException.exit(call.args().get(0));
			})
			.register("java", "error", 1, (call) -> {
				throw ErlangRaiseException.error(call.args().get(0));
			})
			.register("java", "boom", 0, (call) -> {
				throw new IllegalStateException("boom");
			})
			.register("java", "slow", 0, (call) -> {
				release.await(10, TimeUnit.SECONDS);
				return atom("slept");
			})
			.register("java", "busy_add", 2, (call) -> {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
				return num(longArg(call, 0) + longArg(call, 1));
			})
			.register("java", "note", 1, (call) -> {
				casts.add(call.args().get(0));
				return atom("ok");
			})
			.register("java", "caller", 0, RpcCall::caller)
			.register("java", "ask_erlang", 1, (call) -> node
				.rpc(peer.nodeName(), "esb_test", "echo", list(call.args().get(0)), Duration.ofSeconds(5))
				.get(10, TimeUnit.SECONDS))
			.register("java", "tell_caller", 1, (call) -> {
				for (long i = 1; i <= longArg(call, 0); i++) {
					node.send(call.caller(), num(1000 + i));
				}
				return atom("told");
			})
			.register("esb_test", "raise", 2, (call) -> {
				String kind = ((OtpErlangAtom) call.args().get(0)).atomValue();
				OtpErlangObject reason = call.args().get(1);
				throw switch (kind) {
					case "throw" -> ErlangRaiseException.throwing(reason);
					case "exit" -> ErlangRaiseException.exit(reason);
					default -> ErlangRaiseException.error(reason);
				};
			});
	}

	static long longArg(RpcCall call, int index) throws Exception {
		return ((OtpErlangLong) call.args().get(index)).longValue();
	}

	@Test
	void rpcCallReturnsTheValue() {
		assertThat(peer.eval("rpc:call(" + j + ", java, add, [1, 2])")).isEqualTo(num(3));
		assertThat(peer.eval("rpc:call(" + j + ", java, add, [40, 2], 5000)")).isEqualTo(num(42));
	}

	@Test
	void javaFunctionSeesTheCallingErlangProcess() {
		OtpErlangTuple result = (OtpErlangTuple) peer.eval("{self(), erpc:call(" + j + ", java, caller, [])}");
		assertThat(result.elementAt(1)).isEqualTo(result.elementAt(0));
	}

	@Test
	void javaFunctionCanCallBackIntoTheCallingNode() {
		// a call-back that deadlocked would fail its own 5 s timeout inside the function, and the
		// outer call would answer a badrpc instead of the value: no clock is needed to see it
		assertThat(peer.eval("rpc:call(" + j + ", java, ask_erlang, [ping_back], 8000)")).isEqualTo(atom("ping_back"));
	}

	@Test
	void messagesAJavaFunctionSendsArriveBeforeItsResult() {
		assertThat(peer.eval("R = erpc:call(" + j + ", java, tell_caller, [3]), "
				+ "{R, [receive N -> N after 0 -> none end || _ <- [1, 2, 3]]}"))
			.isEqualTo(tuple(atom("told"), list(num(1001), num(1002), num(1003))));
	}

	@Test
	void erpcCallReturnsTheValue() {
		assertThat(peer.eval("erpc:call(" + j + ", java, add, [2, 3])")).isEqualTo(num(5));
	}

	@Test
	void erpcCallOfAThrowingFunctionIsCaughtAsThrow() {
		assertThat(peer.eval("try erpc:call(" + j + ", java, throw, [oops]) catch throw:T -> {caught, T} end"))
			.isEqualTo(tuple(atom("caught"), atom("oops")));
		assertThat(peer.eval("rpc:call(" + j + ", java, throw, [oops])")).isEqualTo(atom("oops"));
	}

	@Test
	void erpcCallOfAnExitingFunctionExitsWithException() {
		assertThat(peer.eval("try erpc:call(" + j + ", java, exit, [bye]) catch exit:E -> E end"))
			.isEqualTo(tuple(atom("exception"), atom("bye")));
		assertThat(peer.eval("rpc:call(" + j + ", java, exit, [bye])"))
			.isEqualTo(tuple(atom("badrpc"), tuple(atom("EXIT"), atom("bye"))));
	}

	@Test
	void erpcCallOfAnErrorRaisesErrorWithTheJavaStack() {
		OtpErlangTuple caught = (OtpErlangTuple) peer
			.eval("try erpc:call(" + j + ", java, error, [bad]) catch error:{exception, R, S} -> {R, S} end");
		assertThat(caught.elementAt(0)).isEqualTo(atom("bad"));
		OtpErlangList stack = (OtpErlangList) caught.elementAt(1);
		assertThat(stack.arity()).isPositive();
		OtpErlangTuple top = (OtpErlangTuple) stack.elementAt(0);
		assertThat(top.elementAt(0)).isEqualTo(atom(RpcServerTests.class.getName()));
	}

	@Test
	void javaExceptionBecomesBadrpcWithClassMessageAndStack() {
		OtpErlangTuple result = (OtpErlangTuple) peer.eval("rpc:call(" + j + ", java, boom, [])");
		assertThat(result.elementAt(0)).isEqualTo(atom("badrpc"));
		OtpErlangTuple exit = (OtpErlangTuple) result.elementAt(1);
		assertThat(exit.elementAt(0)).isEqualTo(atom("EXIT"));
		OtpErlangTuple reasonAndStack = (OtpErlangTuple) exit.elementAt(1);
		assertThat(reasonAndStack.elementAt(0))
			.isEqualTo(tuple(atom("java.lang.IllegalStateException"), bin("boom")));
		OtpErlangList stack = (OtpErlangList) reasonAndStack.elementAt(1);
		assertThat(stack.arity()).isPositive();
		assertThat(((OtpErlangTuple) stack.elementAt(0)).elementAt(0))
			.isEqualTo(atom(RpcServerTests.class.getName()));
	}

	@Test
	void unknownFunctionFailsExactlyAsOnAnErlangNode() {
		String call = "rpc:call(%s, nosuch_mod, nosuch_fun, [1, x], 5000)";
		OtpErlangObject fromErlang = peer.eval(call.formatted("node()"));
		assertThat(fromErlang).isEqualTo(tuple(atom("badrpc"), tuple(atom("EXIT"), tuple(atom("undef"),
				list(tuple(atom("nosuch_mod"), atom("nosuch_fun"), list(num(1), atom("x")), list()))))));
		assertThat(peer.eval(call.formatted(j))).isEqualTo(fromErlang);
		String erpc = "try erpc:call(%s, lists, nosuch_fun, []) catch C:R -> {C, R} end";
		assertThat(peer.eval(erpc.formatted(j))).isEqualTo(peer.eval(erpc.formatted("node()")));
		String block = "rpc:block_call(%s, nosuch_mod, f, [a])";
		assertThat(peer.eval(block.formatted(j))).isEqualTo(peer.eval(block.formatted("node()")));
	}

	@Test
	void rpcCastRunsTheFunction() throws Exception {
		assertThat(peer.eval("rpc:cast(" + j + ", java, note, [hello])")).isEqualTo(atom("true"));
		assertThat(casts.poll(5, TimeUnit.SECONDS)).isEqualTo(atom("hello"));
		assertThat(peer.eval("erpc:cast(" + j + ", java, note, [again])")).isEqualTo(atom("ok"));
		assertThat(casts.poll(5, TimeUnit.SECONDS)).isEqualTo(atom("again"));
	}

	@Test
	void rpcMulticallOverJavaAndErlangNodes() {
		String nodes = "[" + j + ", " + q(other.name()) + ", node()]";
		assertThat(peer.eval("rpc:multicall(" + nodes + ", esb_test, echo, [hi])"))
			.isEqualTo(tuple(list(atom("hi"), atom("hi"), atom("hi")), list()));
		assertThat(peer.eval("rpc:multicall([" + j + ", 'esb_nosuch@127.0.0.1', node()], esb_test, echo, [x])"))
			.isEqualTo(tuple(list(atom("x"), atom("x")), list(atom("esb_nosuch@127.0.0.1"))));
	}

	@Test
	void erpcMulticallOverJavaAndErlangNodes() {
		String nodes = "[" + j + ", " + q(other.name()) + ", node()]";
		OtpErlangTuple ok = tuple(atom("ok"), atom("y"));
		assertThat(peer.eval("erpc:multicall(" + nodes + ", esb_test, echo, [y])")).isEqualTo(list(ok, ok, ok));
		OtpErlangList thrown = (OtpErlangList) peer.eval("erpc:multicall(" + nodes + ", esb_test, raise, [throw, t])");
		assertThat(thrown.elements()).containsOnly(tuple(atom("throw"), atom("t")));
		OtpErlangList exited = (OtpErlangList) peer.eval("erpc:multicall(" + nodes + ", esb_test, raise, [exit, e])");
		assertThat(exited.elements()).containsOnly(tuple(atom("exit"), tuple(atom("exception"), atom("e"))));
	}

	@Test
	void rpcBlockCallGoesThroughRex() {
		assertThat(peer.eval("rpc:block_call(" + j + ", java, add, [1, 2])")).isEqualTo(num(3));
		assertThat(peer.eval("rpc:block_call(" + j + ", java, add, [1, 2], 5000)")).isEqualTo(num(3));
		assertThat(peer.eval("rpc:block_call(" + j + ", java, throw, [t])")).isEqualTo(atom("t"));
		assertThat(peer.eval("rpc:block_call(" + j + ", java, exit, [x])"))
			.isEqualTo(tuple(atom("badrpc"), tuple(atom("EXIT"), atom("x"))));
		OtpErlangTuple failed = (OtpErlangTuple) peer.eval("rpc:block_call(" + j + ", java, boom, [])");
		assertThat(failed.elementAt(0)).isEqualTo(atom("badrpc"));
		OtpErlangTuple reason = (OtpErlangTuple) ((OtpErlangTuple) failed.elementAt(1)).elementAt(1);
		assertThat(reason.elementAt(0)).isEqualTo(tuple(atom("java.lang.IllegalStateException"), bin("boom")));
	}

	@Test
	void slowFunctionTimesOutAndTheNodeKeepsServing() {
		assertThat(peer.eval("rpc:call(" + j + ", java, slow, [], 200)"))
			.isEqualTo(tuple(atom("badrpc"), atom("timeout")));
		assertThat(peer.eval("try erpc:call(" + j + ", java, slow, [], 200) catch C:R -> {C, R} end"))
			.isEqualTo(tuple(atom("error"), tuple(atom("erpc"), atom("timeout"))));
		assertThat(peer.eval("rpc:call(" + j + ", java, add, [1, 1], 5000)")).isEqualTo(num(2));
		release.countDown();
		assertThat(peer.eval("rpc:call(" + j + ", java, slow, [], 5000)")).isEqualTo(atom("slept"));
	}

	@Test
	void manyConcurrentCallsAllReturnTheirOwnResult() {
		OtpErlangList results = (OtpErlangList) peer.eval("Self = self(), "
				+ "Pids = [spawn(fun() -> Self ! {self(), rpc:call(" + j + ", java, busy_add, [I, 1000])} end) "
				+ "|| I <- lists:seq(1, 200)], [receive {P, R} -> R after 20000 -> timeout end || P <- Pids]");
		List<OtpErlangObject> expected = new ArrayList<>();
		for (int i = 1; i <= 200; i++) {
			expected.add(num(i + 1000));
		}
		assertThat(results.elements()).containsExactlyElementsOf(expected);
	}

	@Test
	void spawnOfAMissingFunctionOnAJavaNodeExitsWithUndef() {
		OtpErlangTuple undef = tuple(atom("undef"), list(tuple(atom("io"), atom("format"), list(str("x")), list())));
		assertThat(peer.eval("{P, R} = spawn_monitor(" + j + ", io, format, [\"x\"]), "
				+ "receive {'DOWN', R, process, P, Reason} -> Reason after 5000 -> timeout end")).isEqualTo(undef);
		// the same shape as an Erlang node gives for a missing function
		assertThat(peer.eval("{P, R} = spawn_monitor(nosuch_mod, format, [\"x\"]), "
				+ "receive {'DOWN', R, process, P, Reason} -> Reason after 5000 -> timeout end"))
			.isEqualTo(tuple(atom("undef"),
					list(tuple(atom("nosuch_mod"), atom("format"), list(str("x")), list()))));
		OtpErlangTuple plain = (OtpErlangTuple) peer.eval("P = spawn(" + j + ", io, format, [\"x\"]), "
				+ "{P, esb_test:monitor_and_wait(P, 5000)}");
		assertThat(((OtpErlangPid) plain.elementAt(0)).node()).isEqualTo(node.name());
		// monitored after spawn/4 returned: the process may be gone already, as on an Erlang node
		assertThat(plain.elementAt(1)).isIn(undef, atom("noproc"));
		assertThat(peer.eval("process_flag(trap_exit, true), P = spawn_link(" + j + ", io, format, [\"x\"]), "
				+ "receive {'EXIT', P, Reason} -> Reason after 5000 -> timeout end")).isEqualTo(undef);
	}

}
