package io.github.erlangspring.pubsub;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangPid;

/**
 * One list of pids of a pg scope (a group's {@code All} or {@code Local} column, or what a peer
 * reported for a group) with Erlang's list semantics, changed in place instead of copied: a join
 * puts the new members first ({@code [Pid | L]}, {@code Pids ++ L}), a leave deletes the first
 * occurrence of a pid ({@code lists:delete/2}; {@code L -- Pids} is one such deletion per element
 * of {@code Pids}, in order). A pid may be listed several times.
 * <p>
 * A doubly linked list of entries, and per pid its first entry, each entry pointing to the next
 * entry of the same pid: since members are only ever put first, the first entry of a pid is its
 * newest, so a join is O(1) per pid and a leave O(1), whatever the length. {@link #toList()}
 * returns an immutable snapshot, built on the first read after a change and kept until the next
 * (a read of an unchanged list costs nothing, so a publish to a large group does not copy it).
 * <p>
 * Thread-safe: the scope changes it from one thread at a time, and any thread may read it; a
 * read waits only for a change in progress (O(1)), a change for a snapshot being built (O(n)).
 */
final class MemberList {

	private static final class Entry {

		final OtpErlangPid pid;

		Entry previous;

		Entry next;

		/** The next entry of the same pid further down the list, or {@code null}. */
		Entry sameLater;

		Entry(OtpErlangPid pid) {
			this.pid = pid;
		}

	}

	private final Map<OtpErlangPid, Entry> firstOf = new HashMap<>();

	private Entry head;

	private int size;

	/** The members as a list, or {@code null} after a change. */
	private List<OtpErlangPid> snapshot = List.of();

	MemberList() {
	}

	/** A list of {@code pids}, in their order. */
	MemberList(List<OtpErlangPid> pids) {
		prependAll(pids);
	}

	/** {@code [Pid | L]}. */
	synchronized void prepend(OtpErlangPid pid) {
		Entry entry = new Entry(pid);
		entry.sameLater = this.firstOf.put(pid, entry);
		entry.next = this.head;
		if (this.head != null) {
			this.head.previous = entry;
		}
		this.head = entry;
		this.size++;
		this.snapshot = null;
	}

	/** {@code Pids ++ L}. */
	synchronized void prependAll(List<OtpErlangPid> pids) {
		for (int i = pids.size() - 1; i >= 0; i--) {
			prepend(pids.get(i));
		}
	}

	/**
	 * {@code lists:delete(Pid, L)}: deletes the first occurrence.
	 * @return whether {@code pid} was listed
	 */
	synchronized boolean delete(OtpErlangPid pid) {
		Entry entry = this.firstOf.get(pid);
		if (entry == null) {
			return false;
		}
		if (entry.sameLater != null) {
			this.firstOf.put(pid, entry.sameLater);
		}
		else {
			this.firstOf.remove(pid);
		}
		if (entry.previous != null) {
			entry.previous.next = entry.next;
		}
		else {
			this.head = entry.next;
		}
		if (entry.next != null) {
			entry.next.previous = entry.previous;
		}
		this.size--;
		this.snapshot = null;
		return true;
	}

	/** {@code L -- Pids}: deletes, for each of {@code pids} in order, its first occurrence. */
	synchronized void deleteEach(List<OtpErlangPid> pids) {
		for (OtpErlangPid pid : pids) {
			delete(pid);
		}
	}

	synchronized boolean contains(OtpErlangPid pid) {
		return this.firstOf.containsKey(pid);
	}

	synchronized int size() {
		return this.size;
	}

	synchronized boolean isEmpty() {
		return this.size == 0;
	}

	/** @return the members in order, as an immutable list that later changes do not affect */
	synchronized List<OtpErlangPid> toList() {
		List<OtpErlangPid> list = this.snapshot;
		if (list == null) {
			OtpErlangPid[] pids = new OtpErlangPid[this.size];
			int i = 0;
			for (Entry entry = this.head; entry != null; entry = entry.next) {
				pids[i++] = entry.pid;
			}
			list = Collections.unmodifiableList(Arrays.asList(pids));
			this.snapshot = list;
		}
		return list;
	}

	@Override
	public String toString() {
		return toList().toString();
	}

}
