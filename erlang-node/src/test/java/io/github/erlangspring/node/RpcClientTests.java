package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.next;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.str;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * Java calling Erlang with {@link ErlangNode#rpc} and {@link ErlangNode#rpcCast}: values, the
 * three exception classes with their stacktraces, timeouts and unreachable nodes.
 */
class RpcClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	static ErlangPeer peer;

	static ErlangNode node;

	@BeforeAll
	static void startNodes() {
		peer = erlang.start();
		node = java.start(peer);
	}

	private static OtpErlangObject rpc(String module, String function, OtpErlangObject... args) throws Exception {
		return node.rpc(peer.nodeName(), module, function, list(args), TIMEOUT).get(10, TimeUnit.SECONDS);
	}

	private static ErlangRemoteException remoteFailure(String module, String function, OtpErlangObject... args) {
		CompletableFuture<OtpErlangObject> call = node.rpc(peer.nodeName(), module, function, list(args), TIMEOUT);
		ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
				() -> call.get(10, TimeUnit.SECONDS));
		assertThat(failure.getCause()).isInstanceOf(ErlangRemoteException.class);
		return (ErlangRemoteException) failure.getCause();
	}

	@Test
	void rpcReturnsTheValue() throws Exception {
		assertThat(rpc("esb_test", "add", num(1), num(2))).isEqualTo(num(3));
		assertThat(rpc("lists", "reverse", list(atom("a"), atom("b")))).isEqualTo(list(atom("b"), atom("a")));
		assertThat(rpc("erlang", "node")).isEqualTo(atom(peer.nodeName()));
	}

	@Test
	void remoteOutputGoesToTheCallersGroupLeader() throws Exception {
		assertThat(rpc("io", "format", str("hello from erlang~n"))).isEqualTo(atom("ok"));
	}

	@Test
	void errorCarriesClassReasonAndAFormattedStacktrace() {
		ErlangRemoteException ex = remoteFailure("lists", "nth", num(0), list());
		assertThat(ex.getErlangClass()).isEqualTo(ErlangClass.ERROR);
		assertThat(ex.getReason()).isEqualTo(atom("function_clause"));
		assertThat(ex.getErlangStacktrace()).isInstanceOf(OtpErlangList.class);
		assertThat(ex.getMessage()).startsWith("error:function_clause\n    in lists:nth(0,[]) (lists.erl:");
		ErlangRemoteException raised = remoteFailure("esb_test", "raise", atom("error"), tuple(atom("bad"), num(1)));
		assertThat(raised.getErlangClass()).isEqualTo(ErlangClass.ERROR);
		assertThat(raised.getReason()).isEqualTo(tuple(atom("bad"), num(1)));
		assertThat(raised.getMessage()).startsWith("error:{bad,1}\n    in esb_test:raise/2 (").contains("esb_test.erl:");
	}

	@Test
	void stacktraceFramesWithSmallIntegerArgumentsPrintAsArguments() {
		ErlangRemoteException ex = remoteFailure("erlang", "atom_to_list", num(1));
		assertThat(ex.getReason()).isEqualTo(atom("badarg"));
		assertThat(ex.getMessage()).startsWith("error:badarg\n    in erlang:atom_to_list(1)");
	}

	@Test
	void exitAndThrowKeepTheirClass() {
		ErlangRemoteException exit = remoteFailure("esb_test", "raise", atom("exit"), atom("bye"));
		assertThat(exit.getErlangClass()).isEqualTo(ErlangClass.EXIT);
		assertThat(exit.getReason()).isEqualTo(atom("bye"));
		assertThat(exit.getMessage()).isEqualTo("exit:bye");
		ErlangRemoteException thrown = remoteFailure("esb_test", "raise", atom("throw"), atom("ball"));
		assertThat(thrown.getErlangClass()).isEqualTo(ErlangClass.THROW);
		assertThat(thrown.getReason()).isEqualTo(atom("ball"));
	}

	@Test
	void missingFunctionIsUndef() {
		ErlangRemoteException ex = remoteFailure("nosuch_mod", "nosuch_fun", atom("x"));
		assertThat(ex.getErlangClass()).isEqualTo(ErlangClass.ERROR);
		assertThat(ex.getReason()).isEqualTo(atom("undef"));
		assertThat(ex.getErlangStacktrace())
			.isEqualTo(list(tuple(atom("nosuch_mod"), atom("nosuch_fun"), list(atom("x")), list())));
		assertThat(ex.getMessage()).isEqualTo("error:undef\n    in nosuch_mod:nosuch_fun(x)");
	}

	@Test
	void timeoutFailsTheCallAndTheLateResultIsIgnored() throws Exception {
		CompletableFuture<OtpErlangObject> slow = node.rpc(peer.nodeName(), "esb_test", "park",
				list(atom("rpc_parked")), Duration.ofMillis(100));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> slow.get(5, TimeUnit.SECONDS))
			.withCauseInstanceOf(ErlangTimeoutException.class);
		// as erpc does on a timeout, the caller drops its monitor of the still running call
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(peer.eval("case whereis(rpc_parked) of undefined -> undefined; P -> "
					+ "{monitored_by, M} = process_info(P, monitored_by), [X || X <- M, node(X) =/= node()] end"))
				.isEqualTo(list()));
		peer.eval("rpc_parked ! {release, late}");
		assertThat(rpc("esb_test", "echo", atom("next"))).isEqualTo(atom("next"));
		assertThat(slow).isCompletedExceptionally();
		try (Mailbox mailbox = node.createMailbox()) {
			CompletableFuture<OtpErlangObject> late = node.rpc(peer.nodeName(), "esb_test", "sleep_then_send",
					list(num(300), mailbox.self(), atom("finished")), Duration.ofMillis(50));
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> late.get(5, TimeUnit.SECONDS))
				.withCauseInstanceOf(ErlangTimeoutException.class);
			assertThat(next(mailbox)).isEqualTo(atom("finished"));
			assertThat(rpc("esb_test", "echo", atom("after"))).isEqualTo(atom("after"));
		}
	}

	@Test
	void rpcCastRunsTheFunction() {
		peer.eval("esb_test:start_collector(rpc_cast_seen)");
		node.rpcCast(peer.nodeName(), "erlang", "send", list(atom("rpc_cast_seen"), tuple(atom("cast"), num(7))));
		assertThat(peer.eval("esb_test:await(rpc_cast_seen, 1, 5000)")).isEqualTo(list(tuple(atom("cast"), num(7))));
	}

	@Test
	void rpcToAMissingNodeFailsWithNodeDown() {
		CompletableFuture<OtpErlangObject> call = node.rpc("esb_nosuch@127.0.0.1", "erlang", "node", list(), TIMEOUT);
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> call.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(ErlangNodeDownException.class);
		// a cast is asynchronous, as erpc:cast: to a node that cannot be reached, it is dropped
		assertThatNoException().isThrownBy(() -> node.rpcCast("esb_nosuch@127.0.0.1", "erlang", "node", list()));
	}

}
