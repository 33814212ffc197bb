package io.github.erlangspring.pubsub;

import java.util.List;
import java.util.Set;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;

import io.github.erlangspring.node.ErlangNode;

/**
 * A scope that outlives its process (while stopped it has no members and refuses to join): each {@link #start()} runs a new pg scope process on the
 * node (after the node itself restarted, for example), so templates built on it keep working.
 */
final class RestartablePgScope implements PgScope {

	private final ErlangNode node;

	private final String name;

	private volatile PgScope current;

	RestartablePgScope(ErlangNode node, String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("a pg scope needs a name");
		}
		this.node = node;
		this.name = name;
	}

	synchronized void start() {
		PgScope running = this.current;
		if (running == null || !running.isRunning()) {
			this.current = DefaultPgScope.start(this.node, this.name);
		}
	}

	private PgScope running() {
		PgScope scope = this.current;
		if (scope == null || !scope.isRunning()) {
			throw new IllegalStateException("pg scope " + this.name + " is not running");
		}
		return scope;
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public OtpErlangPid pid() {
		return running().pid();
	}

	@Override
	public ErlangNode node() {
		return this.node;
	}

	@Override
	public void join(OtpErlangObject group, OtpErlangPid... pids) {
		running().join(group, pids);
	}

	@Override
	public boolean leave(OtpErlangObject group, OtpErlangPid... pids) {
		return running().leave(group, pids);
	}

	@Override
	public List<OtpErlangPid> members(OtpErlangObject group) {
		PgScope scope = this.current;
		return (scope != null && scope.isRunning()) ? scope.members(group) : List.of();
	}

	@Override
	public List<OtpErlangPid> localMembers(OtpErlangObject group) {
		PgScope scope = this.current;
		return (scope != null && scope.isRunning()) ? scope.localMembers(group) : List.of();
	}

	@Override
	public Set<OtpErlangObject> groups() {
		PgScope scope = this.current;
		return (scope != null && scope.isRunning()) ? scope.groups() : Set.of();
	}

	@Override
	public List<OtpErlangPid> peers() {
		PgScope scope = this.current;
		return (scope != null && scope.isRunning()) ? scope.peers() : List.of();
	}

	@Override
	public boolean isRunning() {
		PgScope scope = this.current;
		return scope != null && scope.isRunning();
	}

	@Override
	public synchronized void close() {
		PgScope scope = this.current;
		if (scope != null) {
			scope.close();
		}
	}

	@Override
	public String toString() {
		PgScope scope = this.current;
		return (scope != null) ? scope.toString() : "PgScope[" + this.name + ", stopped]";
	}

}
