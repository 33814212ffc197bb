package io.github.erlangspring.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.lit;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link ErlangNode#spawn}: processes started from Java with a handler, as Erlang code spawns one
 * per session, seen from a real {@code erl} with the exit and monitor semantics of any process.
 */
class SpawnTests {

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

	/** Answers {@code {From, Msg}} with {@code {self(), Msg}}; crashes on {@code crash}; exits on {@code {stop, R}}. */
	private static final ProcessHandler ECHO = (self, message) -> {
		if (message instanceof OtpErlangAtom atom && atom.atomValue().equals("crash")) {
			throw new IllegalStateException("crashed on purpose");
		}
		OtpErlangTuple tuple = (OtpErlangTuple) message;
		if (tuple.elementAt(0) instanceof OtpErlangAtom stop && stop.atomValue().equals("stop")) {
			self.close(tuple.elementAt(1));
			return;
		}
		self.send((OtpErlangPid) tuple.elementAt(0), tuple(self.self(), tuple.elementAt(1)));
	};

	@Test
	void manySpawnedProcessesAnswerErlangAndRegisteredOnesAreReachedByName() {
		List<Mailbox> sessions = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			sessions.add(node.spawn(ECHO));
		}
		StringBuilder pids = new StringBuilder("[");
		for (Mailbox each : sessions) {
			pids.append((pids.length() > 1) ? "," : "").append(lit(each.self()));
		}
		pids.append("]");
		assertThat(peer.eval("Pids = " + pids + ", [P ! {self(), N} || {P, N} <- lists:zip(Pids, lists:seq(1, length(Pids)))], "
				+ "lists:all(fun({P, N}) -> receive {P, N} -> true after 10000 -> false end end, "
				+ "lists:zip(Pids, lists:seq(1, length(Pids))))")).isEqualTo(atom("true"));

		Mailbox named = node.spawn(ECHO, SpawnOptions.DEFAULT.withName("esb_spawned"));
		assertThat(peer.eval("{esb_spawned, " + q(node.name()) + "} ! {self(), hi}, receive {_, hi} -> ok after 10000 -> timeout end"))
			.isEqualTo(atom("ok"));
		assertThatIllegalStateException().isThrownBy(() -> node.spawn(ECHO, SpawnOptions.DEFAULT.withName("esb_spawned")));
		named.close();
		sessions.forEach(Mailbox::close);
	}

	@Test
	void erlangMonitorsAndLinksSeeASpawnedProcessCrash() throws Exception {
		Mailbox process = node.spawn(ECHO);
		String reason = peer.eval("process_flag(trap_exit, true), P = " + lit(process.self())
				+ ", link(P), R = monitor(process, P), P ! crash, "
				+ "D = receive {'DOWN', R, process, P, Why} -> Why after 10000 -> timeout end, "
				+ "E = receive {'EXIT', P, Why2} -> Why2 after 10000 -> timeout end, "
				+ "process_flag(trap_exit, false), {D, E}").toString();
		assertThat(reason).isEqualTo("{{'java.lang.IllegalStateException',#Bin<18>},"
				+ "{'java.lang.IllegalStateException',#Bin<18>}}");
		assertThat(process.isAlive()).isFalse();
	}

	@Test
	void aSpawnedProcessLinkedToAJavaParentTakesItDownAndAMonitorSeesIt() throws Exception {
		Mailbox parent = node.createMailbox();
		parent.trapExits(true);
		Mailbox child = node.spawn(ECHO, SpawnOptions.DEFAULT.linkedTo(parent));
		Mailbox watcher = node.createMailbox();
		var ref = watcher.monitor(child.self());
		CompletableFuture<OtpErlangObject> stopped = peer.evalAsync(lit(child.self()) + " ! {stop, session_over}, ok");
		assertThat(stopped.get(10, TimeUnit.SECONDS)).isEqualTo(atom("ok"));
		assertThat(TestTerms.next(parent)).isEqualTo(tuple(atom("EXIT"), child.self(), atom("session_over")));
		assertThat(TestTerms.next(watcher))
			.isEqualTo(tuple(atom("DOWN"), ref, atom("process"), child.self(), atom("session_over")));
	}

	@Test
	void anErlangExitSignalKillsASpawnedProcessUnlessItTrapsExits() throws Exception {
		CompletableFuture<OtpErlangObject> exited = new CompletableFuture<>();
		Mailbox plain = node.spawn(new ProcessHandler() {
			@Override
			public void handle(Mailbox self, OtpErlangObject message) {
			}

			@Override
			public void exited(Mailbox self, OtpErlangObject reason) {
				exited.complete(reason);
			}
		});
		CompletableFuture<OtpErlangObject> trapped = new CompletableFuture<>();
		Mailbox trapping = node.spawn((self, message) -> trapped.complete(message),
				SpawnOptions.DEFAULT.trappingExits(true));
		peer.eval("exit(" + lit(plain.self()) + ", bye), exit(" + lit(trapping.self()) + ", bye), ok");
		assertThat(exited.get(10, TimeUnit.SECONDS)).isEqualTo(atom("bye"));
		assertThat(trapped.get(10, TimeUnit.SECONDS)).isInstanceOf(OtpErlangTuple.class);
		assertThat(((OtpErlangTuple) trapped.get()).elementAt(2)).isEqualTo(atom("bye"));
		assertThat(trapping.isAlive()).isTrue();
		trapping.close();
	}

}
