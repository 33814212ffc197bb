package io.github.erlangspring.pubsub;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link PgOutbox} merges into one message, and that a peer applying the merged messages as
 * {@code pg.erl} does ({@code Pids ++ All}, {@code All -- Pids}) ends with the same members, in the
 * same order, as one message per change would have left.
 */
class PgOutboxTests {

	private static final OtpErlangPid SELF = new OtpErlangPid("me@h", 0, 0, 1);

	private static final OtpErlangAtom G = new OtpErlangAtom("g");

	private static final OtpErlangAtom H = new OtpErlangAtom("h");

	private final PgOutbox outbox = new PgOutbox();

	private static OtpErlangPid pid(int id) {
		return new OtpErlangPid("me@h", id, 0, 1);
	}

	@Test
	void consecutiveJoinsToAGroupLeaveAsOneListJoinNewestFirst() {
		this.outbox.join(G, List.of(pid(1)));
		this.outbox.join(G, List.of(pid(2), pid(3)));
		this.outbox.join(G, List.of(pid(4)));
		List<OtpErlangTuple> messages = this.outbox.drain(SELF);
		assertThat(messages).hasSize(1);
		assertThat(messages.get(0)).hasToString("{join," + SELF + ",g,[" + pid(4) + "," + pid(2) + "," + pid(3) + ","
				+ pid(1) + "]}");
		assertThat(this.outbox.isEmpty()).isTrue();
		assertThat(this.outbox.drain(SELF)).isEmpty();
	}

	@Test
	void onePidTravelsAsAPidAsPgSendsIt() {
		this.outbox.join(G, List.of(pid(1)));
		this.outbox.leave(List.of(pid(1)), List.of(G, H));
		List<OtpErlangTuple> messages = this.outbox.drain(SELF);
		assertThat(messages).extracting(Object::toString)
			.containsExactly("{join," + SELF + ",g," + pid(1) + "}", "{leave," + SELF + "," + pid(1) + ",[g,h]}");
	}

	@Test
	void aJoinAndALeaveOfOnePidAreNeitherMergedNorReordered() {
		this.outbox.join(G, List.of(pid(1)));
		this.outbox.leave(List.of(pid(1)), List.of(G));
		this.outbox.join(G, List.of(pid(1)));
		this.outbox.join(H, List.of(pid(2)));
		this.outbox.join(G, List.of(pid(3)));
		this.outbox.leave(List.of(pid(1)), List.of(G));
		this.outbox.leave(List.of(pid(3)), List.of(G));
		this.outbox.leave(List.of(pid(2)), List.of(H));
		assertThat(this.outbox.drain(SELF)).extracting((message) -> message.elementAt(0) + " " + message.elementAt(2)
				+ " " + message.elementAt(3))
			.containsExactly("join g " + pid(1), "leave " + pid(1) + " [g]", "join g " + pid(1), "join h " + pid(2),
					"join g " + pid(3), "leave [" + pid(1) + "," + pid(3) + "] [g]", "leave " + pid(2) + " [h]");
	}

	@Test
	void aMessageHoldsAtMostMaxPidsFromMergedJoins() {
		for (int i = 0; i < PgOutbox.MAX_PIDS + 1; i++) {
			this.outbox.join(G, List.of(pid(i)));
		}
		List<OtpErlangTuple> messages = this.outbox.drain(SELF);
		assertThat(messages).hasSize(2);
		assertThat(((OtpErlangList) messages.get(0).elementAt(3)).arity()).isEqualTo(PgOutbox.MAX_PIDS);
		assertThat(messages.get(1).elementAt(3)).isEqualTo(pid(PgOutbox.MAX_PIDS));
	}

	@Test
	void aPeerApplyingTheMergedMessagesEndsWhereOneMessagePerChangeWouldHaveLeftIt() {
		Random random = new Random(18);
		List<OtpErlangObject> groups = List.of(G, H);
		for (int round = 0; round < 200; round++) {
			Peer merged = new Peer();
			Peer oneByOne = new Peer();
			for (int step = random.nextInt(60); step >= 0; step--) {
				List<OtpErlangPid> pids = new ArrayList<>();
				for (int i = random.nextInt(3); i >= 0; i--) {
					pids.add(pid(random.nextInt(5)));
				}
				if (random.nextInt(3) > 0) {
					OtpErlangObject group = groups.get(random.nextInt(2));
					this.outbox.join(group, pids);
					PgOutbox single = new PgOutbox();
					single.join(group, pids);
					single.drain(SELF).forEach(oneByOne::apply);
				}
				else {
					List<OtpErlangObject> left = (random.nextBoolean()) ? groups : List.of(groups.get(random.nextInt(2)));
					this.outbox.leave(pids, left);
					PgOutbox single = new PgOutbox();
					single.leave(pids, left);
					single.drain(SELF).forEach(oneByOne::apply);
				}
				if (random.nextInt(10) == 0) {
					this.outbox.drain(SELF).forEach(merged::apply);
				}
			}
			this.outbox.drain(SELF).forEach(merged::apply);
			assertThat(merged.groups).as("round %d", round).isEqualTo(oneByOne.groups);
		}
	}

	/** A peer's ETS table as pg.erl changes it on {@code join} and {@code leave}. */
	private static final class Peer {

		final Map<OtpErlangObject, List<OtpErlangObject>> groups = new LinkedHashMap<>();

		void apply(OtpErlangTuple message) {
			boolean join = message.elementAt(0).equals(new OtpErlangAtom("join"));
			OtpErlangObject pidOrPids = message.elementAt(join ? 3 : 2);
			List<OtpErlangObject> pids = (pidOrPids instanceof OtpErlangList list) ? List.of(list.elements())
					: List.of(pidOrPids);
			if (join) {
				// Pids ++ All
				List<OtpErlangObject> all = new ArrayList<>(pids);
				all.addAll(this.groups.getOrDefault(message.elementAt(2), List.of()));
				this.groups.put(message.elementAt(2), all);
			}
			else {
				for (OtpErlangObject group : ((OtpErlangList) message.elementAt(3)).elements()) {
					// All -- Pids; an emptied group is deleted
					List<OtpErlangObject> all = new ArrayList<>(this.groups.getOrDefault(group, List.of()));
					pids.forEach(all::remove);
					if (all.isEmpty()) {
						this.groups.remove(group);
					}
					else {
						this.groups.put(group, all);
					}
				}
			}
		}

	}

}
