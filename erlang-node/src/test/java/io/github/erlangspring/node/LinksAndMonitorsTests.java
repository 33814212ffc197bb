package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.lit;
import static io.github.erlangspring.node.TestTerms.next;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Links and monitors between Java mailboxes and real Erlang processes, both ways, with the exit
 * reasons Erlang would give.
 */
class LinksAndMonitorsTests {

	/** An Erlang process that reports its links on {@code {links, From}} and exits on {@code {stop, Reason}}. */
	private static final String WAITER = "spawn(fun() -> (fun Loop() -> receive "
			+ "{links, From} -> {links, L} = process_info(self(), links), From ! {links, L}, Loop(); "
			+ "{stop, R} -> exit(R) end end)() end)";

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

	@Test
	void erlangMonitorOfAJavaMailboxByPidSeesTheCloseReason() throws Exception {
		Mailbox mailbox = node.createMailbox();
		CompletableFuture<OtpErlangObject> down = peer.evalAsync("P = " + lit(mailbox.self())
				+ ", R = monitor(process, P), P ! monitoring, "
				+ "receive {'DOWN', R, process, P, Reason} -> Reason after 10000 -> timeout end");
		assertThat(next(mailbox)).isEqualTo(atom("monitoring"));
		mailbox.close(tuple(atom("shutdown"), atom("bye")));
		assertThat(down.get(10, TimeUnit.SECONDS)).isEqualTo(tuple(atom("shutdown"), atom("bye")));
	}

	@Test
	void erlangMonitorOfAJavaMailboxByNameSeesNameNodeAndReason() throws Exception {
		Mailbox mailbox = node.createMailbox("lm_named");
		CompletableFuture<OtpErlangObject> down = peer.evalAsync("T = {lm_named, " + q(node.name())
				+ "}, R = monitor(process, T), T ! monitoring, "
				+ "receive {'DOWN', R, process, Obj, Reason} -> {Obj, Reason} after 10000 -> timeout end");
		assertThat(next(mailbox)).isEqualTo(atom("monitoring"));
		mailbox.close(atom("custom_reason"));
		assertThat(down.get(10, TimeUnit.SECONDS))
			.isEqualTo(tuple(tuple(atom("lm_named"), atom(node.name())), atom("custom_reason")));
		assertThat(node.registeredNames()).doesNotContain("lm_named");
	}

	@Test
	void erlangMonitorOfAMissingJavaProcessGivesNoproc() {
		Mailbox closed = node.createMailbox();
		closed.close();
		assertThat(peer.eval("esb_test:monitor_and_wait({lm_nobody, " + q(node.name()) + "}, 5000)"))
			.isEqualTo(atom("noproc"));
		assertThat(peer.eval("esb_test:monitor_and_wait(" + lit(closed.self()) + ", 5000)"))
			.isEqualTo(atom("noproc"));
	}

	@Test
	void javaMonitorOfAnErlangPidGetsDown() throws Exception {
		try (Mailbox mailbox = node.createMailbox()) {
			OtpErlangPid pid = (OtpErlangPid) peer.eval(WAITER);
			OtpErlangRef ref = mailbox.monitor(pid);
			mailbox.send(pid, tuple(atom("stop"), atom("bye")));
			assertThat(next(mailbox)).isEqualTo(tuple(atom("DOWN"), ref, atom("process"), pid, atom("bye")));
		}
	}

	@Test
	void javaMonitorOfAnErlangRegisteredNameGetsDownNamingNameAndNode() throws Exception {
		try (Mailbox mailbox = node.createMailbox()) {
			peer.eval("register(lm_target, " + WAITER + ")");
			OtpErlangRef ref = mailbox.monitor("lm_target", peer.nodeName());
			mailbox.send("lm_target", peer.nodeName(), tuple(atom("stop"), atom("gone")));
			OtpErlangTuple named = tuple(atom("lm_target"), atom(peer.nodeName()));
			assertThat(next(mailbox)).isEqualTo(tuple(atom("DOWN"), ref, atom("process"), named, atom("gone")));
			OtpErlangRef missing = mailbox.monitor("lm_nobody", peer.nodeName());
			assertThat(next(mailbox)).isEqualTo(tuple(atom("DOWN"), missing, atom("process"),
					tuple(atom("lm_nobody"), atom(peer.nodeName())), atom("noproc")));
		}
	}

	@Test
	void javaMonitorAndLinkOfADeadErlangProcessGiveNoproc() throws Exception {
		try (Mailbox mailbox = node.createMailbox()) {
			mailbox.trapExits(true);
			OtpErlangPid dead = (OtpErlangPid) peer.eval("{P, R} = spawn_monitor(fun() -> ok end), "
					+ "receive {'DOWN', R, process, P, _} -> P end");
			OtpErlangRef ref = mailbox.monitor(dead);
			assertThat(next(mailbox)).isEqualTo(tuple(atom("DOWN"), ref, atom("process"), dead, atom("noproc")));
			mailbox.link(dead);
			assertThat(next(mailbox)).isEqualTo(tuple(atom("EXIT"), dead, atom("noproc")));
		}
	}

	@Test
	void javaMonitorAndLinkOfAProcessOnAMissingNodeGiveNoconnection() throws Exception {
		try (Mailbox mailbox = node.createMailbox()) {
			mailbox.trapExits(true);
			OtpErlangPid nowhere = new OtpErlangPid("esb_nosuch@127.0.0.1", 42, 0, 1);
			OtpErlangRef ref = mailbox.monitor(nowhere);
			assertThat(next(mailbox)).isEqualTo(tuple(atom("DOWN"), ref, atom("process"), nowhere, atom("noconnection")));
			mailbox.link(nowhere);
			assertThat(next(mailbox)).isEqualTo(tuple(atom("EXIT"), nowhere, atom("noconnection")));
		}
	}

	@Test
	void demonitorStopsTheDownMessage() throws Exception {
		try (Mailbox mailbox = node.createMailbox(); Mailbox witness = node.createMailbox()) {
			OtpErlangPid pid = (OtpErlangPid) peer.eval(WAITER);
			OtpErlangRef ref = mailbox.monitor(pid);
			OtpErlangRef witnessRef = witness.monitor(pid);
			mailbox.demonitor(ref);
			mailbox.send(pid, tuple(atom("stop"), atom("bye")));
			assertThat(next(witness)).isEqualTo(tuple(atom("DOWN"), witnessRef, atom("process"), pid, atom("bye")));
			// a round trip on the same connection: any DOWN for the first monitor is in by now
			assertThat(node.ping(peer.nodeName(), Duration.ofSeconds(5))).isTrue();
			assertThat(mailbox.receive(Duration.ZERO)).isNull();
			assertThat(peer.eval("is_process_alive(" + lit(pid) + ")")).isEqualTo(atom("false"));
		}
	}

	@Test
	void erlangProcessLinkedToAJavaMailboxGetsItsExitReason() throws Exception {
		Mailbox mailbox = node.createMailbox();
		CompletableFuture<OtpErlangObject> exit = peer.evalAsync("P = " + lit(mailbox.self())
				+ ", process_flag(trap_exit, true), link(P), P ! linked, "
				+ "receive {'EXIT', P, R} -> R after 10000 -> timeout end");
		assertThat(next(mailbox)).isEqualTo(atom("linked"));
		mailbox.close(tuple(atom("bad"), atom("thing")));
		assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(tuple(atom("bad"), atom("thing")));
	}

	@Test
	void nonTrappingErlangProcessLinkedToAJavaMailboxDiesWithIt() throws Exception {
		Mailbox mailbox = node.createMailbox();
		CompletableFuture<OtpErlangObject> down = peer.evalAsync("P = " + lit(mailbox.self())
				+ ", {Pid, R} = spawn_monitor(fun() -> link(P), P ! linked, receive never -> ok end end), "
				+ "receive {'DOWN', R, process, Pid, Reason} -> Reason after 10000 -> timeout end");
		assertThat(next(mailbox)).isEqualTo(atom("linked"));
		mailbox.close(atom("crashed"));
		assertThat(down.get(10, TimeUnit.SECONDS)).isEqualTo(atom("crashed"));
	}

	@Test
	void javaMailboxLinkedToAnErlangProcessTerminatesWhenItExitsAbnormally() throws Exception {
		Mailbox mailbox = node.createMailbox();
		OtpErlangPid pid = (OtpErlangPid) peer.eval(WAITER);
		mailbox.link(pid);
		mailbox.send(pid, tuple(atom("stop"), atom("boom")));
		assertThatExceptionOfType(ErlangExitException.class).isThrownBy(() -> mailbox.receive(Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(atom("boom")));
		assertThat(mailbox.isAlive()).isFalse();
	}

	@Test
	void javaMailboxLinkedToAnErlangProcessSurvivesItsNormalExit() throws Exception {
		try (Mailbox mailbox = node.createMailbox()) {
			OtpErlangPid pid = (OtpErlangPid) peer.eval(WAITER);
			mailbox.link(pid);
			OtpErlangRef ref = mailbox.monitor(pid);
			mailbox.send(pid, tuple(atom("stop"), atom("normal")));
			assertThat(next(mailbox)).isEqualTo(tuple(atom("DOWN"), ref, atom("process"), pid, atom("normal")));
			assertThat(mailbox.isAlive()).isTrue();
		}
	}

	@Test
	void trappingJavaMailboxGetsExitMessages() throws Exception {
		try (Mailbox mailbox = node.createMailbox()) {
			mailbox.trapExits(true);
			OtpErlangPid pid = (OtpErlangPid) peer.eval(WAITER);
			mailbox.link(pid);
			mailbox.send(pid, tuple(atom("stop"), atom("boom")));
			assertThat(next(mailbox)).isEqualTo(tuple(atom("EXIT"), pid, atom("boom")));
			OtpErlangPid killer = (OtpErlangPid) peer
				.eval("spawn(fun() -> exit(" + lit(mailbox.self()) + ", please_stop) end)");
			assertThat(next(mailbox)).isEqualTo(tuple(atom("EXIT"), killer, atom("please_stop")));
			assertThat(mailbox.isAlive()).isTrue();
		}
	}

	@Test
	void exitKillFromErlangKillsEvenATrappingMailbox() throws Exception {
		Mailbox mailbox = node.createMailbox();
		mailbox.trapExits(true);
		OtpErlangObject reason = peer.eval("P = " + lit(mailbox.self())
				+ ", R = monitor(process, P), exit(P, kill), "
				+ "receive {'DOWN', R, process, P, Reason} -> Reason after 10000 -> timeout end");
		assertThat(reason).isEqualTo(atom("killed"));
		assertThatExceptionOfType(ErlangExitException.class).isThrownBy(() -> mailbox.receive(Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(atom("killed")));
	}

	@Test
	void erlangUnlinkFromAJavaMailboxStopsTheExitSignal() throws Exception {
		Mailbox mailbox = node.createMailbox();
		CompletableFuture<OtpErlangObject> result = peer.evalAsync("P = " + lit(mailbox.self())
				+ ", process_flag(trap_exit, true), link(P), unlink(P), P ! {unlinked, self()}, "
				+ "receive {'EXIT', P, R} -> {exit, R}; marker -> no_exit after 10000 -> timeout end");
		OtpErlangTuple unlinked = (OtpErlangTuple) next(mailbox);
		assertThat(unlinked.elementAt(0)).isEqualTo(atom("unlinked"));
		mailbox.close(atom("should_not_arrive"));
		// sent after the close on the same connection: it arrives after any exit signal would
		node.send((OtpErlangPid) unlinked.elementAt(1), atom("marker"));
		assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(atom("no_exit"));
	}

	@Test
	void javaUnlinkFromAnErlangProcessRemovesTheLinkOnBothSides() throws Exception {
		try (Mailbox mailbox = node.createMailbox()) {
			mailbox.trapExits(true);
			OtpErlangPid pid = (OtpErlangPid) peer.eval(WAITER);
			mailbox.link(pid);
			mailbox.send(pid, tuple(atom("links"), mailbox.self()));
			assertThat(next(mailbox)).isEqualTo(tuple(atom("links"), list(mailbox.self())));
			mailbox.unlink(pid);
			mailbox.send(pid, tuple(atom("links"), mailbox.self()));
			assertThat(next(mailbox)).isEqualTo(tuple(atom("links"), list()));
			OtpErlangRef ref = mailbox.monitor(pid);
			mailbox.send(pid, tuple(atom("stop"), atom("boom")));
			assertThat(next(mailbox)).isEqualTo(tuple(atom("DOWN"), ref, atom("process"), pid, atom("boom")));
			assertThat(mailbox.isAlive()).isTrue();
		}
	}

	@Test
	void killedErlangNodeGivesNoconnectionToMonitorsAndLinks() throws Exception {
		ErlangPeer doomed = erlang.peer().cookie(peer.cookie()).start();
		try (Mailbox monitoring = node.createMailbox(); Mailbox trapping = node.createMailbox()) {
			Mailbox linked = node.createMailbox();
			trapping.trapExits(true);
			OtpErlangPid pid = (OtpErlangPid) doomed.eval(WAITER);
			OtpErlangRef ref = monitoring.monitor(pid);
			trapping.link(pid);
			linked.link(pid);
			trapping.send(pid, tuple(atom("links"), trapping.self()));
			OtpErlangTuple links = (OtpErlangTuple) next(trapping);
			assertThat(((com.ericsson.otp.erlang.OtpErlangList) links.elementAt(1)).elements())
				.containsExactlyInAnyOrder(trapping.self(), linked.self());
			doomed.kill();
			assertThat(next(monitoring))
				.isEqualTo(tuple(atom("DOWN"), ref, atom("process"), pid, atom("noconnection")));
			assertThat(next(trapping)).isEqualTo(tuple(atom("EXIT"), pid, atom("noconnection")));
			assertThatExceptionOfType(ErlangExitException.class).isThrownBy(() -> linked.receive(Duration.ofSeconds(5)))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(atom("noconnection")));
			assertThat(node.connectedNodes()).doesNotContain(doomed.nodeName());
		}
	}

}
