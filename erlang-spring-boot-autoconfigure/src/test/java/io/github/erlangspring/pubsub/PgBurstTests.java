package io.github.erlangspring.pubsub;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Joins and leaves made in a burst reach Erlang's own pg as few messages (pg's list forms of
 * {@code join} and {@code leave}), and leave every node with the same members, in the same order,
 * as one message per change would. Erlang's {@code pg:monitor/2} tells how many messages changed
 * a group ({@code esb_pubsub_test:watch/3}); {@code pg:get_members/2} what they left.
 */
class PgBurstTests {

	private static final Logger logger = LoggerFactory.getLogger(PgBurstTests.class);

	private static final Duration CONVERGE = Duration.ofSeconds(60);

	private static final String SCOPE = "esb_burst";

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	static ErlangNode node;

	static PgScope scope;

	private final List<Mailbox> processes = new ArrayList<>();

	@BeforeAll
	static void start() {
		peer = erlang.start();
		assertThat(peer.eval("{ok, _} = pg:start(" + SCOPE + "), ok")).hasToString("ok");
		node = Cluster.javaNode("esb_pb", peer.cookie());
		scope = PgScope.start(node, SCOPE);
		Cluster.connect(node, peer);
		// Erlang's scope knew this one before this one knew it (discover, then sync)
		await().atMost(CONVERGE).until(() -> !scope.peers().isEmpty());
	}

	@AfterAll
	static void stop() {
		if (scope != null) {
			scope.close();
		}
		if (node != null) {
			node.close(Duration.ZERO);
		}
	}

	@AfterEach
	void closeProcesses() {
		this.processes.forEach(Mailbox::close);
	}

	@Test
	void joinsMadeWhileTheScopeIsBusyReachErlangAsOneListJoin() {
		OtpErlangAtom group = new OtpErlangAtom("busy");
		watch(group, "esb_watch_busy");
		List<OtpErlangPid> pids = spawn(5_000);
		// the scope process cannot send meanwhile, as while it handles a long message
		synchronized (((DefaultPgScope) scope).lock) {
			pids.forEach((pid) -> scope.join(group, pid));
		}
		assertThat(scope.members(group)).hasSize(5_000);
		assertThat(watched("esb_watch_busy", "members", 5_000)).as("{members, join messages, leave messages}")
			.hasToString("{5000,1,0}");
		assertThat(erlangMembers(group)).as("the same members in the same order").isEqualTo(scope.members(group));
	}

	@Test
	void aBurstOfJoinsIsSeenWholeByErlangInFewerMessagesThanJoins() {
		int n = 20_000;
		OtpErlangAtom group = new OtpErlangAtom("burst");
		watch(group, "esb_watch_burst");
		List<OtpErlangPid> pids = spawn(n);
		pids.forEach((pid) -> scope.join(group, pid));
		OtpErlangTuple seen = (OtpErlangTuple) watched("esb_watch_burst", "members", n);
		logger.info("{} joins in a burst reached Erlang's pg as {} join messages", n, seen.elementAt(1));
		assertThat(seen.elementAt(0)).hasToString(Integer.toString(n));
		assertThat(((OtpErlangLong) seen.elementAt(1)).longValue()).isLessThan(n);
		assertThat(erlangMembers(group)).isEqualTo(scope.members(group));
		assertThat(peer.eval("length(pg:get_members(" + SCOPE + ", burst))")).hasToString(Integer.toString(n));
	}

	@Test
	void joinsAndLeavesOfOnePidKeepTheirOrderWhenMerged() {
		OtpErlangAtom g = new OtpErlangAtom("mixed");
		OtpErlangAtom h = new OtpErlangAtom("mixed_other");
		watch(g, "esb_watch_mixed");
		List<OtpErlangPid> pids = spawn(4);
		OtpErlangPid a = pids.get(0);
		OtpErlangPid b = pids.get(1);
		OtpErlangPid c = pids.get(2);
		OtpErlangPid d = pids.get(3);
		synchronized (((DefaultPgScope) scope).lock) {
			scope.join(g, a); // [a]
			scope.join(g, b); // [b, a]                 one join message [b, a]
			scope.leave(g, a); // [b]                    one leave message [a]
			scope.join(g, a); // [a, b]
			scope.join(g, a); // [a, a, b]              one join message [a, a]
			scope.join(h, a); // (another group)        one join message to h
			scope.leave(g, b); // [a, a]
			scope.leave(g, a); // [a]                    one leave message [b, a]
			scope.join(g, c, d); // [c, d, a]            one join message [c, d]
			scope.leave(g, c); // [d, a]                 one leave message [c]
			scope.join(g, b); // [b, d, a]              one join message [b]
			// d exits: the scope handles its 'DOWN' after the queued changes went out
			this.processes.get(3).close();
		}
		await().atMost(CONVERGE).untilAsserted(() -> assertThat(scope.members(g)).containsExactly(b, a));
		// 4 joins and 3 leaves merged from 11 changes, then the leave of the exit
		assertThat(watched("esb_watch_mixed", "messages", 8)).hasToString("{2,4,4}");
		await().atMost(CONVERGE).untilAsserted(() -> assertThat(erlangMembers(g)).containsExactly(b, a));
		assertThat(erlangMembers(h)).containsExactly(a);
	}

	@Test
	void joinsAndLeavesFromSeveralThreadsLeaveErlangWithTheSameMembersInTheSameOrder() throws Exception {
		List<OtpErlangObject> groups = List.of(new OtpErlangAtom("many_a"), new OtpErlangAtom("many_b"));
		List<OtpErlangPid> pids = spawn(8);
		CompletableFuture<?>[] threads = new CompletableFuture<?>[2];
		for (int t = 0; t < threads.length; t++) {
			List<OtpErlangPid> own = pids.subList(t * 4, t * 4 + 4);
			Random random = new Random(18 + t);
			threads[t] = CompletableFuture.runAsync(() -> {
				for (int i = 0; i < 3_000; i++) {
					OtpErlangObject group = groups.get(random.nextInt(groups.size()));
					OtpErlangPid pid = own.get(random.nextInt(own.size()));
					if (random.nextInt(5) < 3) {
						scope.join(group, pid);
					}
					else {
						scope.leave(group, pid);
					}
				}
			});
		}
		CompletableFuture.allOf(threads).get();
		for (OtpErlangObject group : groups) {
			List<OtpErlangPid> java = scope.members(group);
			await().atMost(CONVERGE).untilAsserted(() -> assertThat(erlangMembers(group)).isEqualTo(java));
		}
	}

	private List<OtpErlangPid> spawn(int n) {
		List<OtpErlangPid> pids = new ArrayList<>(n);
		for (int i = 0; i < n; i++) {
			Mailbox process = node.spawn((self, message) -> {
			});
			this.processes.add(process);
			pids.add(process.self());
		}
		return pids;
	}

	private static void watch(OtpErlangAtom group, String name) {
		peer.eval("esb_pubsub_test:watch(" + SCOPE + ", " + group.atomValue() + ", " + name + ")");
	}

	/** {Members, JoinMessages, LeaveMessages} once the group has that many members or messages. */
	private static OtpErlangObject watched(String name, String what, int count) {
		return peer.eval("esb_pubsub_test:watched(" + name + ", {" + what + ", " + count + "}, 60000)",
				CONVERGE.plusSeconds(5));
	}

	/** pg:get_members/2 on the Erlang node, in its order. */
	private static List<OtpErlangPid> erlangMembers(OtpErlangObject group) {
		return Cluster.pids(peer.eval("pg:get_members(" + SCOPE + ", " + group + ")"));
	}

}
