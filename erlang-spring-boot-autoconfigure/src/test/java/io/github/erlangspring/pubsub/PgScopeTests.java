package io.github.erlangspring.pubsub;

import java.time.Duration;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.pubsub.Cluster.binary;
import static io.github.erlangspring.pubsub.Cluster.erlBinary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The Java pg scope against Erlang's own pg: two Erlang and two (hidden) Java nodes see the same
 * members after every kind of change.
 */
class PgScopeTests {

	private static final Duration CONVERGE = Duration.ofSeconds(10);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static Cluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = new Cluster(erlang);
	}

	@AfterAll
	static void stopCluster() {
		if (cluster != null) {
			cluster.close();
		}
	}

	private static OtpErlangPid erlangSubscriber(ErlangPeer peer, String group) {
		return (OtpErlangPid) peer.eval("esb_pubsub_test:subscriber(pg, " + group + ")");
	}

	private static Mailbox javaMember(PgScope scope, OtpErlangObject group) {
		Mailbox mailbox = cluster.track(scope.node().createMailbox());
		scope.join(group, mailbox.self());
		return mailbox;
	}

	private static void converge(String erlangGroup, OtpErlangObject javaGroup, OtpErlangPid... expected) {
		await().atMost(CONVERGE).untilAsserted(() -> cluster.assertViews(erlangGroup, javaGroup, List.of(expected)));
	}

	@Test
	void membersJoinedOnEveryNodeAreSeenIdenticallyEverywhere() {
		OtpErlangBinary group = binary("joins");
		OtpErlangPid onE1 = erlangSubscriber(cluster.e1, erlBinary("joins"));
		OtpErlangPid onE2 = erlangSubscriber(cluster.e2, erlBinary("joins"));
		Mailbox onJ1 = javaMember(cluster.scope1, group);
		Mailbox onJ2 = javaMember(cluster.scope2, group);
		cluster.scope2.join(group, onJ2.self());
		converge(erlBinary("joins"), group, onE1, onE2, onJ1.self(), onJ2.self(), onJ2.self());
		assertThat(cluster.scope1.localMembers(group)).containsExactly(onJ1.self());
		assertThat(Cluster.pids(cluster.e1.eval("esb_pubsub_test:local_members(pg, <<\"joins\">>)")))
			.containsExactly(onE1);
		// the Java nodes are hidden: Erlang's pg never discovered them, they discovered it
		assertThat(cluster.e1.eval("lists:member('" + cluster.j1.name() + "', nodes())")).hasToString("false");
	}

	@Test
	void leavesAndExitsOfJavaAndErlangMembersAreSeenEverywhere() {
		OtpErlangBinary group = binary("leaves");
		String erlGroup = erlBinary("leaves");
		OtpErlangPid onE1 = (OtpErlangPid) cluster.e1.eval("esb_pubsub_test:subscriber(pg, " + erlGroup + ", sub_leaves)");
		OtpErlangPid onE2 = (OtpErlangPid) cluster.e2.eval("esb_pubsub_test:subscriber(pg, " + erlGroup + ", sub_exits)");
		Mailbox onJ1 = javaMember(cluster.scope1, group);
		Mailbox onJ2 = javaMember(cluster.scope2, group);
		converge(erlGroup, group, onE1, onE2, onJ1.self(), onJ2.self());

		assertThat(cluster.scope1.leave(group, onJ1.self())).isTrue();
		assertThat(cluster.scope1.leave(group, onJ1.self())).as("not_joined").isFalse();
		converge(erlGroup, group, onE1, onE2, onJ2.self());

		assertThat(cluster.e1.eval("esb_pubsub_test:leave(sub_leaves, pg, " + erlGroup + ")")).hasToString("ok");
		converge(erlGroup, group, onE2, onJ2.self());

		onJ2.close();
		converge(erlGroup, group, onE2);

		cluster.e2.eval("exit(whereis(sub_exits), kill)");
		converge(erlGroup, group);
		assertThat(cluster.scope1.groups()).doesNotContain(group);
		assertThat(cluster.scope2.groups()).doesNotContain(group);
	}

	@Test
	void groupsMayBeAnyTerm() {
		OtpErlangTuple room = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("room"), new OtpErlangLong(42) });
		OtpErlangPid erlangMember = erlangSubscriber(cluster.e1, "{room, 42}");
		Mailbox javaMember = javaMember(cluster.scope2, room);
		converge("{room, 42}", room, erlangMember, javaMember.self());
		// [1, 2] travels as a string: it must still be the same group
		OtpErlangList smallInts = new OtpErlangList(new OtpErlangObject[] { new OtpErlangLong(1), new OtpErlangLong(2) });
		Mailbox listMember = javaMember(cluster.scope1, smallInts);
		OtpErlangPid erlangListMember = erlangSubscriber(cluster.e2, "[1, 2]");
		await().atMost(CONVERGE).untilAsserted(() -> {
			assertThat(Cluster.erlangMembers(cluster.e1, "pg", "[1, 2]"))
				.containsExactlyInAnyOrder(listMember.self(), erlangListMember);
			assertThat(cluster.scope2.members(new OtpErlangList("\u0001\u0002")))
				.containsExactlyInAnyOrder(listMember.self(), erlangListMember);
		});
	}

	@Test
	void aVisibleJavaNodeWhichErlangDiscoversTooSeesTheSameMembers() throws Exception {
		ErlangNode visible = cluster.track(ErlangNode.start(NodeConfig.builder(ErlangPeer.uniqueAlive("esb_psv") + "@127.0.0.1")
			.cookie(cluster.e1.cookie())
			.hidden(false)
			.build()));
		PgScope scope = cluster.track(PgScope.start(visible, "pg"));
		Mailbox member = cluster.track(visible.createMailbox());
		scope.join(binary("visible"), member.self());
		OtpErlangPid onE1 = erlangSubscriber(cluster.e1, erlBinary("visible"));
		// Erlang connects: its pg sees a visible node come up and discovers the Java scope itself
		assertThat(cluster.e1.eval("net_adm:ping('" + visible.name() + "')")).hasToString("pong");
		assertThat(cluster.e1.eval("lists:member('" + visible.name() + "', nodes())")).hasToString("true");
		await().atMost(CONVERGE).untilAsserted(() -> {
			assertThat(Cluster.erlangMembers(cluster.e1, "pg", erlBinary("visible"))).containsExactlyInAnyOrder(onE1,
					member.self());
			assertThat(scope.members(binary("visible"))).containsExactlyInAnyOrder(onE1, member.self());
		});
	}

	@Test
	void theJavaScopeAnswersSysAsPgsGenServerDoes() {
		PgScope scope = cluster.track(PgScope.start(cluster.j1, "esb_sys_scope"));
		Mailbox member = cluster.track(cluster.j1.createMailbox());
		scope.join(new OtpErlangAtom("g"), member.self());
		String server = "{esb_sys_scope, '" + cluster.j1.name() + "'}";
		assertThat(cluster.e1.eval("{status, P, {module, M}, [_, S, _, _, _]} = sys:get_status(" + server + "), {P, M, S}"))
			.isEqualTo(new OtpErlangTuple(new OtpErlangObject[] { scope.pid(), new OtpErlangAtom("gen_server"),
					new OtpErlangAtom("running") }));
		assertThat(cluster.e1.eval("S = sys:get_state(" + server + "), {maps:get(scope, S), maps:get(g, maps:get(local, S))}"))
			.isEqualTo(new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("esb_sys_scope"),
					new OtpErlangList(new OtpErlangObject[] { member.self() }) }));
		assertThat(cluster.e1.eval("ok = sys:suspend(" + server + "), {status, _, _, [_, S, _, _, _]} = sys:get_status("
				+ server + "), ok = sys:resume(" + server + "), S")).isEqualTo(new OtpErlangAtom("suspended"));
		// pg's own calls still fail with badarg, and the scope goes on
		assertThat(cluster.e1.eval("catch gen_server:call(" + server + ", anything, 5000)").toString()).contains("badarg");
		assertThat(cluster.e1.eval("lists:nth(2, element(4, sys:get_status(" + server + ")))"))
			.isEqualTo(new OtpErlangAtom("running"));
		assertThat(scope.isRunning()).isTrue();
	}

	@Test
	void onlyLocalProcessesJoin() {
		OtpErlangPid remote = erlangSubscriber(cluster.e1, erlBinary("nolocal"));
		assertThatIllegalArgumentException().isThrownBy(() -> cluster.scope1.join(binary("nolocal"), remote))
			.withMessageContaining("nolocal");
	}

	@Test
	void stoppingAJavaScopeRemovesItsMembersOnErlangWithoutDisturbingErlangsScope() {
		cluster.e1.eval("{ok, _} = pg:start(esb_other)");
		PgScope other = cluster.track(PgScope.start(cluster.j1, "esb_other"));
		Mailbox member = cluster.track(cluster.j1.createMailbox());
		other.join(new OtpErlangAtom("g"), member.self());
		await().atMost(CONVERGE)
			.untilAsserted(() -> assertThat(Cluster.erlangMembers(cluster.e1, "esb_other", "g")).containsExactly(member.self()));
		OtpErlangObject erlangScope = cluster.e1.eval("whereis(esb_other)");
		// the default scope does not know this scope's groups
		assertThat(Cluster.erlangMembers(cluster.e1, "pg", "g")).isEmpty();

		other.close();
		assertThat(other.isRunning()).isFalse();
		await().atMost(CONVERGE)
			.untilAsserted(() -> assertThat(Cluster.erlangMembers(cluster.e1, "esb_other", "g")).isEmpty());
		assertThat(cluster.e1.eval("whereis(esb_other)")).isEqualTo(erlangScope);
	}

	@Test
	void membersOfAKilledErlangNodeLeaveAndComeBackWhenItRestarts() {
		ErlangPeer e3 = erlang.peer().cookie(cluster.e1.cookie()).args("-kernel", "start_pg", "true").start();
		String erlGroup = erlBinary("restarts");
		OtpErlangBinary group = binary("restarts");
		connectEverything(e3);
		Mailbox javaMember = javaMember(cluster.scope1, group);
		OtpErlangPid onE3 = erlangSubscriber(e3, erlGroup);
		converge(erlGroup, group, javaMember.self(), onE3);
		await().atMost(CONVERGE)
			.untilAsserted(() -> assertThat(Cluster.erlangMembers(e3, "pg", erlGroup)).containsExactlyInAnyOrder(javaMember.self(), onE3));

		e3.kill();
		converge(erlGroup, group, javaMember.self());

		ErlangPeer restarted = e3.restart();
		connectEverything(restarted);
		OtpErlangPid again = erlangSubscriber(restarted, erlGroup);
		converge(erlGroup, group, javaMember.self(), again);
		await().atMost(CONVERGE)
			.untilAsserted(() -> assertThat(Cluster.erlangMembers(restarted, "pg", erlGroup))
				.containsExactlyInAnyOrder(javaMember.self(), again));
	}

	@Test
	void aDisconnectedJavaNodeDropsAndIsDroppedThenResyncsOnReconnect() {
		String erlGroup = erlBinary("reconnects");
		OtpErlangBinary group = binary("reconnects");
		OtpErlangPid onE1 = erlangSubscriber(cluster.e1, erlGroup);
		Mailbox onJ1 = javaMember(cluster.scope1, group);
		converge(erlGroup, group, onE1, onJ1.self());

		cluster.e1.eval("true = erlang:disconnect_node('" + cluster.j1.name() + "')");
		try {
			await().atMost(CONVERGE).untilAsserted(() -> {
				assertThat(cluster.scope1.members(group)).containsExactly(onJ1.self());
				assertThat(Cluster.erlangMembers(cluster.e1, "pg", erlGroup)).containsExactly(onE1);
			});
		}
		finally {
			Cluster.connect(cluster.j1, cluster.e1);
		}
		converge(erlGroup, group, onE1, onJ1.self());
	}

	@Test
	void aRestartedErlangScopeIsDiscoveredAgainThoughThisNodeIsHidden() {
		String erlGroup = erlBinary("scope_restart");
		OtpErlangBinary group = binary("scope_restart");
		Mailbox onJ1 = javaMember(cluster.scope1, group);
		await().atMost(CONVERGE)
			.untilAsserted(() -> assertThat(Cluster.erlangMembers(cluster.e2, "pg", erlGroup)).containsExactly(onJ1.self()));
		OtpErlangObject before = cluster.e2.eval("whereis(pg)");
		OtpErlangObject after = cluster.e2.eval("esb_pubsub_test:restart_scope(pg, 5000)");
		assertThat(after).isNotEqualTo(before).isInstanceOf(OtpErlangPid.class);
		await().atMost(CONVERGE)
			.untilAsserted(() -> assertThat(Cluster.erlangMembers(cluster.e2, "pg", erlGroup)).containsExactly(onJ1.self()));
	}

	@Test
	void unexpectedMessagesAreIgnoredAndUnknownCallsFailTheCaller() {
		String target = "{pg, '" + cluster.j2.name() + "'}";
		cluster.e1.eval(target + " ! hello, " + target + " ! {join, self(), g, not_a_pid}, " + target
				+ " ! {leave, self(), [self()], not_a_list}, " + target + " ! {'$gen_cast', {sync, nope, []}}, "
				// the form of discover pg accepts since OTP 26 for future versions
				+ target + " ! {discover, whereis(pg), 2}, ok");
		assertThat(cluster.e1.eval("try gen_server:call(" + target + ", {join_local, g, self()}, 5000) "
				+ "catch exit:{Reason, _} -> {failed, Reason} end")).hasToString("{failed,badarg}");
		String erlGroup = erlBinary("still_works");
		OtpErlangBinary group = binary("still_works");
		Mailbox member = javaMember(cluster.scope2, group);
		converge(erlGroup, group, member.self());
		assertThat(cluster.scope2.isRunning()).isTrue();
		assertThat(cluster.e1.eval("whereis(pg)")).as("e1's pg never crashed").isEqualTo(cluster.e1Scope);
	}

	private static void connectEverything(ErlangPeer peer) {
		assertThat(peer.eval("[net_adm:ping(N) || N <- ['" + cluster.e1.nodeName() + "', '" + cluster.e2.nodeName()
				+ "']]")).hasToString("[pong,pong]");
		Cluster.connect(cluster.j1, peer);
		Cluster.connect(cluster.j2, peer);
	}

}
