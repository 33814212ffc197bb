package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java node's system processes are {@code gen_server}s to a real {@code erl}, as an Erlang
 * node's are: {@code sys:get_state} and {@code sys:get_status} of {@code net_kernel}, {@code rex}
 * and the group leader of our calls answer, {@code net_adm:ping} and {@code rpc} go on while
 * {@code rex} is suspended, and the {@code rex} calls that came meanwhile run on resume.
 */
class NetKernelAndRexSysTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	static ErlangPeer peer;

	static ErlangNode node;

	static String j;

	@BeforeAll
	static void startNodes() {
		peer = erlang.start();
		node = java.start(peer);
		node.setFunctionTable(new SimpleFunctionTable().register("java", "add", 2,
				(call) -> num(((OtpErlangLong) call.args().get(0)).longValue()
						+ ((OtpErlangLong) call.args().get(1)).longValue())));
		j = q(node.name());
	}

	@Test
	void sysGetStateAndGetStatusOfNetKernelAndRexAnswerAsAGenServers() {
		assertThat(peer.eval("sys:get_state({net_kernel, " + j + "}, 5000)")).isEqualTo(peer.eval("#{node => " + j + "}"));
		assertThat(peer.eval("sys:get_state({rex, " + j + "}, 5000)")).isEqualTo(peer.eval("#{running => 0}"));
		assertThat(peer.eval("{status, P, {module, M}, [_, S, _, _, Misc]} = sys:get_status({rex, " + j + "}, 5000), "
				+ "[St] = [X || {data, [{\"State\", X}]} <- Misc], "
				+ "{node(P), M, S, St}"))
			.isEqualTo(tuple(atom(node.name()), atom("gen_server"), atom("running"), peer.eval("#{running => 0}")));
		assertThat(peer.eval("element(3, sys:get_status({net_kernel, " + j + "}, 5000))"))
			.isEqualTo(tuple(atom("module"), atom("gen_server")));
		assertThat(peer.eval("net_adm:ping(" + j + ")")).isEqualTo(atom("pong"));
	}

	@Test
	void rexAndNetKernelTerminatedBySysAreStartedAgainUnderTheirNames() {
		for (String name : new String[] { "rex", "net_kernel" }) {
			// the restart follows the exit at once, but a request by name may overtake it: asked
			// again (bounded) until the new process answers
			assertThat(peer.eval("Old = element(2, sys:get_status({" + name + ", " + j + "}, 5000)), "
					+ "ok = sys:terminate({" + name + ", " + j + "}, going, 5000), "
					+ "Ask = fun Ask(0) -> gone; Ask(N) -> case catch sys:get_status({" + name + ", " + j + "}, 1000) of "
					+ "{status, P, _, _} -> P; _ -> Ask(N - 1) end end, New = Ask(10), "
					+ "{is_pid(New), New =/= Old, node(New)}"))
				.as(name)
				.isEqualTo(tuple(atom("true"), atom("true"), atom(node.name())));
		}
		assertThat(peer.eval("rpc:block_call(" + j + ", java, add, [20, 22], 5000)")).isEqualTo(num(42));
		assertThat(peer.eval("net_adm:ping(" + j + ")")).isEqualTo(atom("pong"));
	}

	@Test
	void theGroupLeaderOfOurCallsAnswersSys() throws Exception {
		OtpErlangPid leader = (OtpErlangPid) node
			.rpc(peer.nodeName(), "erlang", "group_leader", list(), Duration.ofSeconds(5))
			.get(10, TimeUnit.SECONDS);
		assertThat(leader.node()).isEqualTo(node.name());
		OtpErlangObject state = node.rpc(peer.nodeName(), "sys", "get_state", list(leader, num(5000)), Duration.ofSeconds(10))
			.get(15, TimeUnit.SECONDS);
		assertThat(state).isEqualTo(atom("undefined"));
	}

	@Test
	void aSuspendedRexHoldsItsCallsUntilResumedWhilePingAndErpcGoOn() {
		assertThat(peer.eval("sys:suspend({rex, " + j + "}, 5000)")).isEqualTo(atom("ok"));
		OtpErlangObject run = peer.eval("Self = self(), "
				+ "spawn(fun() -> Self ! {rex, rpc:block_call(" + j + ", java, add, [1, 2], 10000)} end), "
				+ "Held = receive {rex, R0} -> {early, R0} after 500 -> held end, "
				+ "Ping = net_adm:ping(" + j + "), "
				+ "Erpc = rpc:call(" + j + ", java, add, [2, 3], 5000), "
				+ "{status, _, _, [_, Suspended | _]} = sys:get_status({rex, " + j + "}, 5000), "
				+ "ok = sys:change_code({rex, " + j + "}, rpc, undefined, [], 5000), "
				+ "ok = sys:resume({rex, " + j + "}, 5000), "
				+ "Late = receive {rex, R1} -> R1 after 5000 -> timeout end, "
				+ "{Held, Ping, Erpc, Suspended, Late}");
		assertThat(run).isEqualTo(tuple(atom("held"), atom("pong"), num(5), atom("suspended"), num(3)));
		assertThat(peer.eval("rpc:block_call(" + j + ", java, add, [4, 5], 5000)")).isEqualTo(num(9));
		assertThat(peer.eval("lists:nth(2, element(4, sys:get_status({rex, " + j + "}, 5000)))")).isEqualTo(atom("running"));
	}

}
