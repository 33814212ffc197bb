package io.github.erlangspring.pubsub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * The state of a pg scope and its transitions, as {@code kernel/src/pg.erl} (OTP 25) keeps them:
 * the ETS table ({@code Group -> {All, Local}}), the monitored local members and the known peer
 * scopes with the groups each reported. Member lists keep Erlang's order and multiplicity
 * ({@code [P | All]}, {@code Pids ++ All}, {@code --}, {@code lists:delete/2}), so members read
 * the same as {@code pg:get_members/2} on an Erlang node, but they are {@link MemberList}s changed
 * in place: a join or a leave costs O(1) per pid, not a copy of the group (pg's ETS row is copied
 * on each change; a group of 100,000 made that quadratic). Not thread-safe for writes: the scope
 * serialises them; {@link #members} and {@link #groups} may be read from any thread.
 */
final class PgGroups {

	/** One row of pg's ETS table; a row is in the table only while {@code all} is not empty. */
	record Row(MemberList all, MemberList local) {
	}

	private record LocalMember(OtpErlangRef ref, List<OtpErlangObject> groups) {
	}

	private record Peer(OtpErlangRef ref, Map<OtpErlangObject, MemberList> groups) {
	}

	private final Map<OtpErlangObject, Row> table = new ConcurrentHashMap<>();

	private final Map<OtpErlangPid, LocalMember> local = new HashMap<>();

	private final Map<OtpErlangPid, Peer> remote = new LinkedHashMap<>();

	// --- reads -----------------------------------------------------------------------------------

	List<OtpErlangPid> members(OtpErlangObject group) {
		Row row = this.table.get(group);
		return (row != null) ? row.all().toList() : List.of();
	}

	List<OtpErlangPid> localMembers(OtpErlangObject group) {
		Row row = this.table.get(group);
		return (row != null) ? row.local().toList() : List.of();
	}

	Set<OtpErlangObject> groups() {
		return Set.copyOf(this.table.keySet());
	}

	List<OtpErlangPid> peers() {
		return List.copyOf(this.remote.keySet());
	}

	boolean knowsPeer(OtpErlangPid peer) {
		return this.remote.containsKey(peer);
	}

	/** {@code all_local_pids/1}: the groups of the local members, for a {@code sync}. */
	Map<OtpErlangObject, List<OtpErlangPid>> allLocalPids() {
		Map<OtpErlangObject, List<OtpErlangPid>> groups = new LinkedHashMap<>();
		this.local.forEach((pid, member) -> {
			for (OtpErlangObject group : member.groups()) {
				groups.computeIfAbsent(group, (key) -> new ArrayList<>()).add(pid);
			}
		});
		return groups;
	}

	// --- local members ---------------------------------------------------------------------------

	/** {@code handle_call({join_local, ...})}: new members are monitored with {@code monitor}. */
	void joinLocal(OtpErlangObject group, List<OtpErlangPid> pids, Function<OtpErlangPid, OtpErlangRef> monitor) {
		for (OtpErlangPid pid : pids) {
			LocalMember member = this.local.get(pid);
			if (member != null) {
				this.local.put(pid, new LocalMember(member.ref(), prepend(group, member.groups())));
			}
			else {
				this.local.put(pid, new LocalMember(monitor.apply(pid), List.of(group)));
			}
		}
		Row row = this.table.get(group);
		if (row != null) {
			row.all().prependAll(pids);
			row.local().prependAll(pids);
		}
		else {
			// filled before it is in the table: a reader never sees an empty group
			this.table.put(group, new Row(new MemberList(pids), new MemberList(pids)));
		}
	}

	/**
	 * {@code handle_call({leave_local, ...})}.
	 * @return whether anything changed (pg answers {@code not_joined} otherwise and broadcasts nothing)
	 */
	boolean leaveLocal(OtpErlangObject group, List<OtpErlangPid> pids, Consumer<OtpErlangRef> demonitor) {
		boolean changed = false;
		for (OtpErlangPid pid : pids) {
			LocalMember member = this.local.get(pid);
			if (member == null || !member.groups().contains(group)) {
				continue;
			}
			changed = true;
			if (member.groups().size() == 1) {
				demonitor.accept(member.ref());
				this.local.remove(pid);
			}
			else {
				this.local.put(pid, new LocalMember(member.ref(), deleteFirst(member.groups(), group)));
			}
		}
		if (!changed) {
			return false;
		}
		Row row = this.table.get(group);
		if (row != null) {
			row.all().deleteEach(pids);
			row.local().deleteEach(pids);
			dropIfEmpty(group, row);
		}
		return true;
	}

	/**
	 * The {@code 'DOWN'} of a local member.
	 * @return the groups it left (to broadcast), or {@code null} when the monitor is not current
	 */
	List<OtpErlangObject> localDown(OtpErlangRef ref, OtpErlangPid pid) {
		LocalMember member = this.local.get(pid);
		if (member == null || !member.ref().equals(ref)) {
			return null;
		}
		this.local.remove(pid);
		for (OtpErlangObject group : member.groups()) {
			Row row = this.table.get(group);
			if (row != null) {
				row.all().delete(pid);
				row.local().delete(pid);
				dropIfEmpty(group, row);
			}
		}
		return member.groups();
	}

	// --- peer scopes -----------------------------------------------------------------------------

	/** A peer discovered us, or we it: remember it (with no groups yet) under its monitor. */
	void addPeer(OtpErlangPid peer, OtpErlangRef ref) {
		this.remote.put(peer, new Peer(ref, new LinkedHashMap<>()));
	}

	/** {@code handle_sync/6}: the peer's groups replace what we knew of it. */
	void sync(OtpErlangPid peer, List<Map.Entry<OtpErlangObject, List<OtpErlangPid>>> groups,
			Function<OtpErlangPid, OtpErlangRef> monitor) {
		Peer known = this.remote.get(peer);
		OtpErlangRef ref = (known != null) ? known.ref() : monitor.apply(peer);
		Map<OtpErlangObject, MemberList> previous = new LinkedHashMap<>((known != null) ? known.groups() : Map.of());
		Map<OtpErlangObject, MemberList> reported = new LinkedHashMap<>();
		for (Map.Entry<OtpErlangObject, List<OtpErlangPid>> entry : groups) {
			OtpErlangObject group = entry.getKey();
			List<OtpErlangPid> pids = entry.getValue();
			reported.put(group, new MemberList(pids));
			MemberList old = previous.remove(group);
			if (old == null) {
				joinRemoteRow(group, pids);
			}
			else if (!old.toList().equals(pids)) {
				// AllNewPids = Pids ++ AllOldPids -- OldPids
				Row row = this.table.get(group);
				if (row != null) {
					row.all().deleteEach(old.toList());
					row.all().prependAll(pids);
					dropIfEmpty(group, row);
				}
				else {
					joinRemoteRow(group, pids);
				}
			}
		}
		previous.forEach((group, pids) -> leaveRemoteRows(pids.toList(), List.of(group)));
		this.remote.put(peer, new Peer(ref, reported));
	}

	/** {@code handle_info({join, Peer, Group, PidOrPids})}; ignored for an unknown peer, as pg does. */
	void joinRemote(OtpErlangPid peer, OtpErlangObject group, List<OtpErlangPid> pids) {
		Peer known = this.remote.get(peer);
		if (known == null) {
			return;
		}
		joinRemoteRow(group, pids);
		known.groups().computeIfAbsent(group, (key) -> new MemberList()).prependAll(pids);
	}

	/** {@code handle_info({leave, Peer, PidOrPids, Groups})}; ignored for an unknown peer. */
	void leaveRemote(OtpErlangPid peer, List<OtpErlangPid> pids, List<OtpErlangObject> groups) {
		Peer known = this.remote.get(peer);
		if (known == null) {
			return;
		}
		leaveRemoteRows(pids, groups);
		for (OtpErlangObject group : groups) {
			MemberList current = known.groups().get(group);
			if (current == null) {
				continue;
			}
			current.deleteEach(pids);
			if (current.isEmpty()) {
				known.groups().remove(group);
			}
		}
	}

	/**
	 * The {@code 'DOWN'} of a peer scope: all its members leave.
	 * @return whether it was a known peer under that monitor
	 */
	boolean peerDown(OtpErlangRef ref, OtpErlangPid peer) {
		Peer known = this.remote.get(peer);
		if (known == null || !known.ref().equals(ref)) {
			return false;
		}
		this.remote.remove(peer);
		known.groups().forEach((group, pids) -> leaveRemoteRows(pids.toList(), List.of(group)));
		return true;
	}

	/** Forgets everything, as an exiting scope's ETS table goes away. */
	void clear() {
		this.table.clear();
		this.local.clear();
		this.remote.clear();
	}

	private void joinRemoteRow(OtpErlangObject group, List<OtpErlangPid> pids) {
		if (pids.isEmpty()) {
			return;
		}
		Row row = this.table.get(group);
		if (row != null) {
			row.all().prependAll(pids);
		}
		else {
			this.table.put(group, new Row(new MemberList(pids), new MemberList()));
		}
	}

	private void leaveRemoteRows(List<OtpErlangPid> pids, List<OtpErlangObject> groups) {
		for (OtpErlangObject group : groups) {
			Row row = this.table.get(group);
			if (row != null) {
				row.all().deleteEach(pids);
				dropIfEmpty(group, row);
			}
		}
	}

	/** pg deletes a row whose {@code All} became empty ({@code Local} is part of it). */
	private void dropIfEmpty(OtpErlangObject group, Row row) {
		if (row.all().isEmpty()) {
			this.table.remove(group, row);
		}
	}

	// --- terms -------------------------------------------------------------------------------------

	/**
	 * One Java form per group term. Erlang sends a list of small integers as a string, which
	 * JInterface decodes as {@link OtpErlangString}, unequal to the {@link OtpErlangList} of the same
	 * term: strings become lists, at any depth, so both forms name the same group.
	 */
	static OtpErlangObject canonical(OtpErlangObject term) {
		if (term instanceof OtpErlangString string) {
			return new OtpErlangList(canonicalElements(string));
		}
		if (term instanceof OtpErlangList list) {
			OtpErlangObject[] original = list.elements();
			OtpErlangObject[] elements = canonical(original);
			OtpErlangObject tail = (list.getLastTail() != null) ? canonical(list.getLastTail()) : null;
			if (elements == original && tail == list.getLastTail()) {
				return list;
			}
			try {
				return (tail != null) ? new OtpErlangList(elements, tail) : new OtpErlangList(elements);
			}
			catch (com.ericsson.otp.erlang.OtpErlangException ex) {
				return list;
			}
		}
		if (term instanceof OtpErlangTuple tuple) {
			OtpErlangObject[] original = tuple.elements();
			OtpErlangObject[] elements = canonical(original);
			return (elements == original) ? tuple : new OtpErlangTuple(elements);
		}
		if (term instanceof OtpErlangMap map) {
			OtpErlangObject[] originalKeys = map.keys();
			OtpErlangObject[] originalValues = map.values();
			OtpErlangObject[] keys = canonical(originalKeys);
			OtpErlangObject[] values = canonical(originalValues);
			return (keys == originalKeys && values == originalValues) ? map : new OtpErlangMap(keys, values);
		}
		return term;
	}

	private static OtpErlangObject[] canonicalElements(OtpErlangString string) {
		return string.stringValue().codePoints().mapToObj(OtpErlangLong::new).toArray(OtpErlangObject[]::new);
	}

	/** @return {@code elements} itself when nothing changed */
	private static OtpErlangObject[] canonical(OtpErlangObject[] elements) {
		OtpErlangObject[] result = elements;
		for (int i = 0; i < elements.length; i++) {
			OtpErlangObject element = canonical(elements[i]);
			if (element != elements[i]) {
				if (result == elements) {
					result = elements.clone();
				}
				result[i] = element;
			}
		}
		return result;
	}

	// --- Erlang list operations on a member's (short) list of groups ---------------------------------

	private static <T> List<T> prepend(T head, List<T> tail) {
		List<T> list = new ArrayList<>(tail.size() + 1);
		list.add(head);
		list.addAll(tail);
		return Collections.unmodifiableList(list);
	}

	/** {@code lists:delete(Elem, List)}: removes the first occurrence. */
	private static <T> List<T> deleteFirst(List<T> list, T element) {
		List<T> copy = new ArrayList<>(list);
		copy.remove(element);
		return Collections.unmodifiableList(copy);
	}

}
