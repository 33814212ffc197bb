package io.github.erlangspring.pubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.ericsson.otp.erlang.OtpErlangPid;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link MemberList} against Erlang's list operations done the plain way (a copied list):
 * {@code [P | L]}, {@code Pids ++ L}, {@code lists:delete/2} and {@code L -- Pids}, with repeats.
 */
class MemberListTests {

	private static OtpErlangPid pid(int id) {
		return new OtpErlangPid("me@h", id, 0, 1);
	}

	/** Erlang's semantics, by copying: what pg.erl does to its lists. */
	private static final class ErlangList {

		List<OtpErlangPid> list = List.of();

		void prependAll(List<OtpErlangPid> pids) {
			List<OtpErlangPid> next = new ArrayList<>(pids);
			next.addAll(this.list);
			this.list = next;
		}

		boolean delete(OtpErlangPid pid) {
			List<OtpErlangPid> next = new ArrayList<>(this.list);
			boolean removed = next.remove(pid);
			this.list = next;
			return removed;
		}

	}

	@Test
	void joinsComeFirstAndALeaveDeletesTheFirstOccurrence() {
		OtpErlangPid a = pid(1);
		OtpErlangPid b = pid(2);
		OtpErlangPid c = pid(3);
		MemberList members = new MemberList();
		members.prepend(a);
		members.prependAll(List.of(b, a, c));
		assertThat(members.toList()).containsExactly(b, a, c, a);
		assertThat(members.delete(a)).isTrue();
		assertThat(members.toList()).containsExactly(b, c, a);
		members.deleteEach(List.of(a, a, b));
		assertThat(members.toList()).containsExactly(c);
		assertThat(members.delete(b)).isFalse();
		assertThat(members.contains(c)).isTrue();
		assertThat(members.contains(a)).isFalse();
		assertThat(members.size()).isOne();
	}

	@Test
	void randomJoinsAndLeavesWithRepeatsMatchErlangsLists() {
		Random random = new Random(18);
		MemberList members = new MemberList();
		ErlangList erlang = new ErlangList();
		for (int step = 0; step < 20_000; step++) {
			int op = random.nextInt(4);
			if (op == 0) {
				OtpErlangPid pid = pid(random.nextInt(12));
				members.prepend(pid);
				erlang.prependAll(List.of(pid));
			}
			else if (op == 1) {
				List<OtpErlangPid> pids = new ArrayList<>();
				for (int i = random.nextInt(5); i >= 0; i--) {
					pids.add(pid(random.nextInt(12)));
				}
				members.prependAll(pids);
				erlang.prependAll(pids);
			}
			else if (op == 2) {
				OtpErlangPid pid = pid(random.nextInt(12));
				assertThat(members.delete(pid)).isEqualTo(erlang.delete(pid));
			}
			else {
				List<OtpErlangPid> pids = List.of(pid(random.nextInt(12)), pid(random.nextInt(12)));
				members.deleteEach(pids);
				pids.forEach(erlang::delete);
			}
			assertThat(members.toList()).as("step %d", step).isEqualTo(erlang.list);
			assertThat(members.size()).isEqualTo(erlang.list.size());
		}
	}

	@Test
	void aSnapshotIsImmutableKeptWhileNothingChangesAndUntouchedByLaterChanges() {
		MemberList members = new MemberList(List.of(pid(1), pid(2)));
		List<OtpErlangPid> snapshot = members.toList();
		assertThat(members.toList()).as("no change, no copy").isSameAs(snapshot);
		members.prepend(pid(3));
		members.delete(pid(1));
		assertThat(snapshot).containsExactly(pid(1), pid(2));
		assertThat(members.toList()).containsExactly(pid(3), pid(2));
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> snapshot.set(0, pid(9)));
	}

	@Test
	void aHundredThousandMembersJoinAndHalfOfThemLeave() {
		int n = 100_000;
		MemberList members = new MemberList();
		for (int i = 0; i < n; i++) {
			members.prepend(pid(i));
		}
		assertThat(members.size()).isEqualTo(n);
		assertThat(members.toList().get(0)).isEqualTo(pid(n - 1));
		for (int i = 0; i < n; i += 2) {
			members.delete(pid(i));
		}
		List<OtpErlangPid> rest = members.toList();
		assertThat(rest).hasSize(n / 2);
		assertThat(rest.get(rest.size() - 1)).isEqualTo(pid(1));
	}

}
