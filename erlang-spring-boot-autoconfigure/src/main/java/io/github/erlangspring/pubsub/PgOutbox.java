package io.github.erlangspring.pubsub;

import java.util.ArrayList;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * The changes of a pg scope's local members that its peers have yet to hear of, in the order they
 * happened, merged into as few of pg's messages as its protocol allows. Consecutive joins to one
 * group become one {@code {join, Self, Group, Pids}}: pg makes that {@code Pids ++ All}, so the
 * pids of the newest join come first, which is what one message per join would have left.
 * Consecutive leaves of the same groups become one {@code {leave, Self, Pids, Groups}}: pg's
 * {@code All -- Pids} deletes in order, as one message per leave would. Nothing is reordered, so
 * a join and a leave of one pid reach every peer in the order they happened; only neighbours
 * merge, and at most {@link #MAX_PIDS} pids into one message. One pid travels as a pid, several as
 * a list (pg accepts both since OTP 23). Not thread-safe: the scope holds its lock.
 */
final class PgOutbox {

	/** The most pids merged into one message (one change with more is sent as it is). */
	static final int MAX_PIDS = 8192;

	private static final OtpErlangAtom JOIN = new OtpErlangAtom("join");

	private static final OtpErlangAtom LEAVE = new OtpErlangAtom("leave");

	/**
	 * A join of {@code pids} to {@code group} (kept newest last, each join reversed: the message
	 * lists them backwards), or a leave of {@code pids} (in order) from {@code groups}.
	 */
	private record Change(boolean join, OtpErlangObject group, List<OtpErlangObject> groups,
			ArrayList<OtpErlangPid> pids) {
	}

	private final List<Change> changes = new ArrayList<>();

	/** Local {@code pids} joined {@code group} ({@code pg:join(Scope, Group, Pids)}). */
	void join(OtpErlangObject group, List<OtpErlangPid> pids) {
		Change last = last();
		Change change = (last != null && last.join() && last.group().equals(group) && fits(last, pids)) ? last
				: add(new Change(true, group, null, new ArrayList<>(pids.size())));
		for (int i = pids.size() - 1; i >= 0; i--) {
			change.pids().add(pids.get(i));
		}
	}

	/** Local {@code pids} left {@code groups} (a leave, or a member's exit). */
	void leave(List<OtpErlangPid> pids, List<OtpErlangObject> groups) {
		Change last = last();
		Change change = (last != null && !last.join() && last.groups().equals(groups) && fits(last, pids)) ? last
				: add(new Change(false, null, List.copyOf(groups), new ArrayList<>(pids.size())));
		change.pids().addAll(pids);
	}

	boolean isEmpty() {
		return this.changes.isEmpty();
	}

	/** Forgets what is pending (the scope stopped: its peers drop all its members anyway). */
	void clear() {
		this.changes.clear();
	}

	/**
	 * Empties the outbox.
	 * @param self the scope process, the {@code Peer} of the messages
	 * @return the messages for every peer, in order
	 */
	List<OtpErlangTuple> drain(OtpErlangPid self) {
		List<OtpErlangTuple> messages = new ArrayList<>(this.changes.size());
		for (Change change : this.changes) {
			List<OtpErlangPid> pids = change.pids();
			if (change.join()) {
				OtpErlangObject[] wire = new OtpErlangObject[pids.size()];
				for (int i = 0; i < wire.length; i++) {
					wire[i] = pids.get(wire.length - 1 - i);
				}
				messages.add(new OtpErlangTuple(new OtpErlangObject[] { JOIN, self, change.group(), pidOrPids(wire) }));
			}
			else {
				OtpErlangObject[] wire = pids.toArray(new OtpErlangObject[0]);
				messages.add(new OtpErlangTuple(new OtpErlangObject[] { LEAVE, self, pidOrPids(wire),
						new OtpErlangList(change.groups().toArray(new OtpErlangObject[0])) }));
			}
		}
		this.changes.clear();
		return messages;
	}

	private Change last() {
		return this.changes.isEmpty() ? null : this.changes.get(this.changes.size() - 1);
	}

	private Change add(Change change) {
		this.changes.add(change);
		return change;
	}

	private static boolean fits(Change change, List<OtpErlangPid> pids) {
		return change.pids().size() + pids.size() <= MAX_PIDS;
	}

	private static OtpErlangObject pidOrPids(OtpErlangObject[] pids) {
		return (pids.length == 1) ? pids[0] : new OtpErlangList(pids);
	}

}
