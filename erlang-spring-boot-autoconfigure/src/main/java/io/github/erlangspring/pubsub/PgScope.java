package io.github.erlangspring.pubsub;

import java.util.List;
import java.util.Set;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;

import io.github.erlangspring.node.ErlangNode;

/**
 * A scope of Erlang's {@code pg} (process groups, OTP 23+) run by a Java node: a process
 * registered under the scope's name that speaks pg's own protocol with the scope processes of the
 * other nodes, Erlang or Java. Erlang code therefore sees processes of the Java node that joined
 * a group with {@code pg:get_members(Scope, Group)}, and the Java node sees Erlang members with
 * {@link #members(OtpErlangObject)}, without any process of ours on the Erlang side.
 * <p>
 * What the scope does, as {@code kernel/src/pg.erl} of OTP 25 does:
 * <ul>
 * <li>On start, and whenever a connection to a node comes up, it sends
 * {@code {discover, Self}} to {@code {Scope, Node}}. Erlang's pg only discovers visible nodes, so
 * a hidden Java node (the default) must be the one to discover.</li>
 * <li>It answers {@code {discover, Peer}} with {@code gen_server:cast(Peer, {sync, Self, Groups})},
 * and, for a peer it did not know, monitors it and discovers it back; a {@code sync} replaces
 * what it knew of the peer's members; {@code {join, Peer, Group, PidOrPids}} and
 * {@code {leave, Peer, PidOrPids, Groups}} change them.</li>
 * <li>It monitors its local members: one that exits leaves all its groups, and peers are told.</li>
 * <li>A peer scope's {@code 'DOWN'} (the scope stopped, or its node disconnected) removes all that
 * peer's members. Peers monitor this scope in turn, so stopping it, or the Java node, removes
 * this node's members everywhere.</li>
 * </ul>
 * It sends only those four messages, which every pg since OTP 23 accepts. Messages pg would
 * crash on are logged and ignored. Membership is eventually consistent, as pg's is: a node sees
 * the members of the nodes it is connected to.
 */
public interface PgScope extends AutoCloseable {

	/**
	 * Starts a scope on a node: registers its process under {@code name} and discovers the
	 * connected nodes.
	 * @param node the running node
	 * @param name the scope name, e.g. {@code pg} (the default scope of Erlang's kernel)
	 * @return the running scope
	 * @throws IllegalStateException when the name is already registered on the node
	 */
	static PgScope start(ErlangNode node, String name) {
		return DefaultPgScope.start(node, name);
	}

	/** @return the scope name, which is also its registered name */
	String name();

	/** @return the pid of the scope process */
	OtpErlangPid pid();

	/** @return the node the scope runs on */
	ErlangNode node();

	/**
	 * Joins local processes to a group, as {@code pg:join(Scope, Group, PidOrPids)}. A process may
	 * join a group several times and must then leave it as many times. This node's reads see the
	 * join when the call returns; peers are told by the scope process as soon as it runs, with no
	 * timer: joins made in a burst (e.g. many subscriptions in a loop) reach them as one
	 * {@code {join, Self, Group, Pids}} per group and burst, in the order the changes were made.
	 * @param group the group, any term
	 * @param pids processes of this node
	 * @throws IllegalArgumentException when a pid is not of this node, or none is given
	 * @throws IllegalStateException when the scope is stopped
	 */
	void join(OtpErlangObject group, OtpErlangPid... pids);

	/**
	 * Makes local processes leave a group, as {@code pg:leave(Scope, Group, PidOrPids)}. Peers are
	 * told as of {@link #join}, after every change made before.
	 * @param group the group
	 * @param pids processes of this node
	 * @return {@code false} when none of them was a member ({@code not_joined})
	 * @throws IllegalArgumentException when a pid is not of this node, or none is given
	 * @throws IllegalStateException when the scope is stopped
	 */
	boolean leave(OtpErlangObject group, OtpErlangPid... pids);

	/**
	 * The members of a group on all nodes, as {@code pg:get_members(Scope, Group)}: in pg's order,
	 * a process listed once per join. Reads a snapshot, kept until the group changes (reading an
	 * unchanged group of any size costs nothing); waits only for a change being applied.
	 * @param group the group
	 * @return the members, empty for an unknown group
	 */
	List<OtpErlangPid> members(OtpErlangObject group);

	/**
	 * The members of a group on this node, as {@code pg:get_local_members(Scope, Group)}.
	 * @param group the group
	 * @return the local members
	 */
	List<OtpErlangPid> localMembers(OtpErlangObject group);

	/** @return the groups with at least one member, as {@code pg:which_groups(Scope)} */
	Set<OtpErlangObject> groups();

	/** @return the scope processes of other nodes this scope exchanges membership with */
	List<OtpErlangPid> peers();

	/** @return whether the scope process runs */
	boolean isRunning();

	/**
	 * Stops the scope: its process exits with {@code shutdown}, so every peer drops this node's
	 * members; local members are not stopped.
	 */
	@Override
	void close();

}
