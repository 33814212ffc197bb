package io.github.erlangspring.pubsub;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * scopes with the groups each reported. List operations keep Erlang's order and multiplicity
 * ({@code [P | All]}, {@code Pids ++ All}, {@code --}, {@code lists:delete/2}), so members read
 * the same as {@code pg:get_members/2} on an Erlang node. Not thread-safe for writes: the scope
 * serialises them; {@link #members} and {@link #groups} may be read from any thread.
 */
final class PgGroups {

	/** One row of pg's ETS table. */
	record Row(List<OtpErlangPid> all, List<OtpErlangPid> local) {
	}

	private record LocalMember(OtpErlangRef ref, List<OtpErlangObject> groups) {
	}

	private record Peer(OtpErlangRef ref, Map<OtpErlangObject, List<OtpErlangPid>> groups) {
	}

	private final Map<OtpErlangObject, Row> table = new ConcurrentHashMap<>();

	private final Map<OtpErlangPid, LocalMember> local = new HashMap<>();

	private final Map<OtpErlangPid, Peer> remote = new LinkedHashMap<>();

	// --- reads -----------------------------------------------------------------------------------

	List<OtpErlangPid> members(OtpErlangObject group) {
		Row row = this.table.get(group);
		return (row != null) ? row.all() : List.of();
	}

	List<OtpErlangPid> localMembers(OtpErlangObject group) {
		Row row = this.table.get(group);
		return (row != null) ? row.local() : List.of();
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
				groups.put(group, prepend(pid, groups.getOrDefault(group, List.of())));
			}
		});
		return groups;
	}

	// --- local members ---------------------------------------------------------------------------

	/** {@code handle_call({join_local, ...})}: new members are monitored with {@code monitor}. */
	void joinLocal(OtpErlangObject group, List<OtpErlangPid> pids, boolean single,
			Function<OtpErlangPid, OtpErlangRef> monitor) {
		for (OtpErlangPid pid : pids) {
			LocalMember member = this.local.get(pid);
			if (member != null) {
				this.local.put(pid, new LocalMember(member.ref(), prependGroup(group, member.groups())));
			}
			else {
				this.local.put(pid, new LocalMember(monitor.apply(pid), List.of(group)));
			}
		}
		Row row = this.table.get(group);
		if (single) {
			OtpErlangPid pid = pids.get(0);
			this.table.put(group, (row != null) ? new Row(prepend(pid, row.all()), prepend(pid, row.local()))
					: new Row(List.of(pid), List.of(pid)));
		}
		else {
			this.table.put(group, (row != null) ? new Row(concat(pids, row.all()), concat(pids, row.local()))
					: new Row(List.copyOf(pids), List.copyOf(pids)));
		}
	}

	/**
	 * {@code handle_call({leave_local, ...})}.
	 * @return whether anything changed (pg answers {@code not_joined} otherwise and broadcasts nothing)
	 */
	boolean leaveLocal(OtpErlangObject group, List<OtpErlangPid> pids, boolean single,
			java.util.function.Consumer<OtpErlangRef> demonitor) {
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
		if (single) {
			leaveLocalRow(group, pids.get(0));
		}
		else {
			Row row = this.table.get(group);
			if (row != null) {
				List<OtpErlangPid> all = subtract(row.all(), pids);
				if (all.isEmpty()) {
					this.table.remove(group);
				}
				else {
					this.table.put(group, new Row(all, subtract(row.local(), pids)));
				}
			}
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
			leaveLocalRow(group, pid);
		}
		return member.groups();
	}

	private void leaveLocalRow(OtpErlangObject group, OtpErlangPid pid) {
		Row row = this.table.get(group);
		if (row == null) {
			return;
		}
		if (row.all().size() == 1 && row.all().get(0).equals(pid) && row.local().size() == 1
				&& row.local().get(0).equals(pid)) {
			this.table.remove(group);
		}
		else {
			this.table.put(group, new Row(deleteFirst(row.all(), pid), deleteFirst(row.local(), pid)));
		}
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
		Map<OtpErlangObject, List<OtpErlangPid>> previous = new LinkedHashMap<>((known != null) ? known.groups() : Map.of());
		Map<OtpErlangObject, List<OtpErlangPid>> reported = new LinkedHashMap<>();
		for (Map.Entry<OtpErlangObject, List<OtpErlangPid>> entry : groups) {
			OtpErlangObject group = entry.getKey();
			List<OtpErlangPid> pids = entry.getValue();
			reported.put(group, pids);
			List<OtpErlangPid> old = previous.remove(group);
			if (old == null) {
				joinRemoteRow(group, pids, false);
			}
			else if (!old.equals(pids)) {
				Row row = this.table.get(group);
				List<OtpErlangPid> all = (row != null) ? row.all() : List.of();
				this.table.put(group, new Row(concat(pids, subtract(all, old)), (row != null) ? row.local() : List.of()));
			}
		}
		previous.forEach((group, pids) -> leaveRemoteRows(pids, List.of(group), false));
		this.remote.put(peer, new Peer(ref, reported));
	}

	/** {@code handle_info({join, Peer, Group, PidOrPids})}; ignored for an unknown peer, as pg does. */
	void joinRemote(OtpErlangPid peer, OtpErlangObject group, List<OtpErlangPid> pids, boolean single) {
		Peer known = this.remote.get(peer);
		if (known == null) {
			return;
		}
		joinRemoteRow(group, pids, single);
		List<OtpErlangPid> current = known.groups().getOrDefault(group, List.of());
		known.groups().put(group, single ? prepend(pids.get(0), current) : concat(pids, current));
	}

	/** {@code handle_info({leave, Peer, PidOrPids, Groups})}; ignored for an unknown peer. */
	void leaveRemote(OtpErlangPid peer, List<OtpErlangPid> pids, boolean single, List<OtpErlangObject> groups) {
		Peer known = this.remote.get(peer);
		if (known == null) {
			return;
		}
		leaveRemoteRows(pids, groups, single);
		for (OtpErlangObject group : groups) {
			List<OtpErlangPid> current = known.groups().get(group);
			if (current == null) {
				continue;
			}
			List<OtpErlangPid> remaining = subtract(current, pids);
			if (remaining.isEmpty()) {
				known.groups().remove(group);
			}
			else {
				known.groups().put(group, remaining);
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
		known.groups().forEach((group, pids) -> leaveRemoteRows(pids, List.of(group), false));
		return true;
	}

	/** Forgets everything, as an exiting scope's ETS table goes away. */
	void clear() {
		this.table.clear();
		this.local.clear();
		this.remote.clear();
	}

	private void joinRemoteRow(OtpErlangObject group, List<OtpErlangPid> pids, boolean single) {
		Row row = this.table.get(group);
		List<OtpErlangPid> local = (row != null) ? row.local() : List.of();
		List<OtpErlangPid> all = (row != null) ? row.all() : List.of();
		this.table.put(group, new Row(single ? prepend(pids.get(0), all) : concat(pids, all), local));
	}

	private void leaveRemoteRows(List<OtpErlangPid> pids, List<OtpErlangObject> groups, boolean single) {
		for (OtpErlangObject group : groups) {
			Row row = this.table.get(group);
			if (row == null) {
				continue;
			}
			List<OtpErlangPid> all = single ? deleteFirst(row.all(), pids.get(0)) : subtract(row.all(), pids);
			if (all.isEmpty() && row.local().isEmpty()) {
				this.table.remove(group);
			}
			else {
				this.table.put(group, new Row(all, row.local()));
			}
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

	// --- Erlang list operations ------------------------------------------------------------------

	private static <T> List<T> prepend(T head, List<T> tail) {
		List<T> list = new ArrayList<>(tail.size() + 1);
		list.add(head);
		list.addAll(tail);
		return Collections.unmodifiableList(list);
	}

	private static List<OtpErlangObject> prependGroup(OtpErlangObject group, List<OtpErlangObject> groups) {
		return prepend(group, groups);
	}

	/** {@code A ++ B}. */
	private static <T> List<T> concat(List<T> a, List<T> b) {
		List<T> list = new ArrayList<>(a.size() + b.size());
		list.addAll(a);
		list.addAll(b);
		return Collections.unmodifiableList(list);
	}

	/** {@code lists:delete(Elem, List)}: removes the first occurrence. */
	private static <T> List<T> deleteFirst(List<T> list, T element) {
		List<T> copy = new ArrayList<>(list);
		copy.remove(element);
		return Collections.unmodifiableList(copy);
	}

	/** {@code A -- B}: removes, for each element of B, its first occurrence in A. */
	static <T> List<T> subtract(List<T> a, List<T> b) {
		List<T> copy = new ArrayList<>(a);
		for (T element : b) {
			copy.remove(element);
		}
		return Collections.unmodifiableList(copy);
	}

}
