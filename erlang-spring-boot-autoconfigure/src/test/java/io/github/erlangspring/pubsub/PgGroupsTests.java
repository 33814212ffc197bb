package io.github.erlangspring.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state transitions of {@code pg}'s table, without processes: what {@code pg.erl} does to its
 * ETS table on joins, leaves, monitors going down and peer syncs.
 */
class PgGroupsTests {

	private static final OtpErlangAtom GROUP = new OtpErlangAtom("g");

	private final PgGroups groups = new PgGroups();

	private final List<OtpErlangRef> demonitored = new ArrayList<>();

	private int refs;

	private static OtpErlangPid pid(String node, int id) {
		return new OtpErlangPid(node, id, 0, 1);
	}

	private OtpErlangRef monitor(OtpErlangPid pid) {
		return new OtpErlangRef("me@h", new int[] { ++this.refs, 0, 0 }, 1);
	}

	@Test
	void joinsPutNewMembersFirstAndMayRepeat() {
		OtpErlangPid a = pid("me@h", 1);
		OtpErlangPid b = pid("me@h", 2);
		this.groups.joinLocal(GROUP, List.of(a), this::monitor);
		this.groups.joinLocal(GROUP, List.of(b, a), this::monitor);
		assertThat(this.groups.members(GROUP)).containsExactly(b, a, a);
		assertThat(this.groups.localMembers(GROUP)).containsExactly(b, a, a);
		assertThat(this.refs).as("one monitor per process").isEqualTo(2);
		assertThat(this.groups.allLocalPids()).containsOnlyKeys(GROUP);
	}

	@Test
	void leavingAGroupNotJoinedChangesNothing() {
		OtpErlangPid a = pid("me@h", 1);
		assertThat(this.groups.leaveLocal(GROUP, List.of(a), this.demonitored::add)).isFalse();
		this.groups.joinLocal(GROUP, List.of(a), this::monitor);
		assertThat(this.groups.leaveLocal(new OtpErlangAtom("other"), List.of(a), this.demonitored::add)).isFalse();
		assertThat(this.demonitored).isEmpty();
	}

	@Test
	void leavingTheLastGroupDropsTheMonitorAndTheEmptyGroup() {
		OtpErlangPid a = pid("me@h", 1);
		OtpErlangAtom other = new OtpErlangAtom("h");
		this.groups.joinLocal(GROUP, List.of(a), this::monitor);
		this.groups.joinLocal(other, List.of(a), this::monitor);
		assertThat(this.groups.leaveLocal(GROUP, List.of(a), this.demonitored::add)).isTrue();
		assertThat(this.demonitored).isEmpty();
		assertThat(this.groups.groups()).containsExactly(other);
		assertThat(this.groups.leaveLocal(other, List.of(a), this.demonitored::add)).isTrue();
		assertThat(this.demonitored).hasSize(1);
		assertThat(this.groups.groups()).isEmpty();
	}

	@Test
	void aLocalMemberGoingDownLeavesEveryGroupOnlyUnderItsCurrentMonitor() {
		OtpErlangPid a = pid("me@h", 1);
		this.groups.joinLocal(GROUP, List.of(a), this::monitor);
		this.groups.joinLocal(new OtpErlangAtom("h"), List.of(a), this::monitor);
		assertThat(this.groups.localDown(new OtpErlangRef("me@h", new int[] { 99, 0, 0 }, 1), a)).isNull();
		assertThat(this.groups.localDown(new OtpErlangRef("me@h", new int[] { 1, 0, 0 }, 1), a))
			.containsExactlyInAnyOrder(GROUP, new OtpErlangAtom("h"));
		assertThat(this.groups.groups()).isEmpty();
	}

	@Test
	void remoteMembersCountOnlyForKnownPeersAndLeaveWhenThePeerGoesDown() {
		OtpErlangPid peer = pid("other@h", 10);
		OtpErlangPid remote = pid("other@h", 11);
		OtpErlangPid local = pid("me@h", 1);
		this.groups.joinRemote(peer, GROUP, List.of(remote));
		assertThat(this.groups.members(GROUP)).as("from an unknown peer").isEmpty();
		OtpErlangRef ref = monitor(peer);
		this.groups.addPeer(peer, ref);
		this.groups.joinRemote(peer, GROUP, List.of(remote));
		this.groups.joinLocal(GROUP, List.of(local), this::monitor);
		assertThat(this.groups.members(GROUP)).containsExactly(local, remote);
		assertThat(this.groups.localMembers(GROUP)).containsExactly(local);
		assertThat(this.groups.peerDown(monitor(peer), peer)).as("an old monitor").isFalse();
		assertThat(this.groups.peerDown(ref, peer)).isTrue();
		assertThat(this.groups.members(GROUP)).containsExactly(local);
		assertThat(this.groups.peers()).isEmpty();
	}

	@Test
	void aSyncReplacesWhatWasKnownOfThePeer() {
		OtpErlangPid peer = pid("other@h", 10);
		OtpErlangPid x = pid("other@h", 11);
		OtpErlangPid y = pid("other@h", 12);
		OtpErlangAtom gone = new OtpErlangAtom("gone");
		this.groups.sync(peer, List.of(Map.entry(GROUP, List.of(x)), Map.entry(gone, List.of(x))), this::monitor);
		assertThat(this.groups.knowsPeer(peer)).isTrue();
		this.groups.sync(peer, List.of(Map.entry(GROUP, List.of(y))), this::monitor);
		assertThat(this.groups.members(GROUP)).containsExactly(y);
		assertThat(this.groups.groups()).containsExactly(GROUP);
		this.groups.leaveRemote(peer, List.of(y), List.of(GROUP));
		assertThat(this.groups.groups()).isEmpty();
	}

	@Test
	void aSyncThatChangesAGroupPutsTheReportedMembersFirst() {
		OtpErlangPid peer = pid("other@h", 10);
		OtpErlangPid x = pid("other@h", 11);
		OtpErlangPid y = pid("other@h", 12);
		OtpErlangPid local = pid("me@h", 1);
		this.groups.addPeer(peer, monitor(peer));
		this.groups.joinRemote(peer, GROUP, List.of(x));
		this.groups.joinLocal(GROUP, List.of(local), this::monitor);
		assertThat(this.groups.members(GROUP)).containsExactly(local, x);
		// AllNewPids = Pids ++ AllOldPids -- OldPids
		this.groups.sync(peer, List.of(Map.entry(GROUP, List.of(y, x))), this::monitor);
		assertThat(this.groups.members(GROUP)).containsExactly(y, x, local);
		assertThat(this.groups.localMembers(GROUP)).containsExactly(local);
	}

	@Test
	void membersReadEarlierAreNotChangedByLaterJoinsAndLeaves() {
		OtpErlangPid a = pid("me@h", 1);
		OtpErlangPid b = pid("me@h", 2);
		this.groups.joinLocal(GROUP, List.of(a), this::monitor);
		List<OtpErlangPid> before = this.groups.members(GROUP);
		this.groups.joinLocal(GROUP, List.of(b), this::monitor);
		this.groups.leaveLocal(GROUP, List.of(a), this.demonitored::add);
		assertThat(before).containsExactly(a);
		assertThat(this.groups.members(GROUP)).containsExactly(b);
	}

	@Test
	void aStringAndTheListOfItsCharactersAreOneGroup() {
		OtpErlangObject string = new OtpErlangTuple(new OtpErlangObject[] { GROUP, new OtpErlangString("ab") });
		OtpErlangObject list = new OtpErlangTuple(new OtpErlangObject[] { GROUP,
				new OtpErlangList(new OtpErlangObject[] { new OtpErlangLong('a'), new OtpErlangLong('b') }) });
		assertThat(PgGroups.canonical(string)).isEqualTo(PgGroups.canonical(list));
		assertThat(PgGroups.canonical(GROUP)).isSameAs(GROUP);
	}

}
