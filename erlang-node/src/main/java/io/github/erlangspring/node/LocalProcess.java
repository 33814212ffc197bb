package io.github.erlangspring.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;

/**
 * A process of this node: a pid, its links, the monitors others hold on it, and Erlang's exit
 * semantics. What it does with messages is up to the subclass.
 */
abstract class LocalProcess {

	/** Someone monitoring this process, and how they named it (pid, or registered name). */
	record Watcher(OtpErlangPid pid, OtpErlangObject monitoredAs) {
	}

	final OtpErlangPid pid;

	final Signals signals;

	private final Set<OtpErlangPid> links = ConcurrentHashMap.newKeySet();

	private final Map<OtpErlangRef, Watcher> watchers = new ConcurrentHashMap<>();

	private final AtomicReference<OtpErlangObject> exitReason = new AtomicReference<>();

	private volatile String registeredName;

	LocalProcess(OtpErlangPid pid, Signals signals) {
		this.pid = pid;
		this.signals = signals;
	}

	/** A message arrived for this process. */
	abstract void deliver(OtpErlangObject message);

	/** @return whether exit signals become {@code {'EXIT', From, Reason}} messages */
	boolean trapsExits() {
		return false;
	}

	/** Called once, after links and monitors were notified. */
	void terminated(OtpErlangObject reason) {
	}

	String registeredName() {
		return this.registeredName;
	}

	void registeredName(String name) {
		this.registeredName = name;
	}

	public boolean isAlive() {
		return this.exitReason.get() == null;
	}

	OtpErlangObject exitReason() {
		return this.exitReason.get();
	}

	Set<OtpErlangPid> links() {
		return this.links;
	}

	int watcherCount() {
		return this.watchers.size();
	}

	void addLink(OtpErlangPid other) {
		if (isAlive()) {
			this.links.add(other);
		}
		else {
			this.signals.exit(this.pid, other, Terms.NOPROC);
		}
	}

	void removeLink(OtpErlangPid other) {
		this.links.remove(other);
	}

	void addWatcher(OtpErlangRef ref, Watcher watcher) {
		this.watchers.put(ref, watcher);
		if (!isAlive() && this.watchers.remove(ref) != null) {
			this.signals.monitorExit(watcher.monitoredAs(), watcher.pid(), ref, Terms.NOPROC);
		}
	}

	void removeWatcher(OtpErlangRef ref) {
		this.watchers.remove(ref);
	}

	/**
	 * Fires one monitor on this process as if it had exited with {@code reason}, leaving the
	 * process running.
	 * @return whether such a monitor existed
	 */
	boolean fireWatcher(OtpErlangRef ref, OtpErlangObject reason) {
		Watcher watcher = this.watchers.remove(ref);
		if (watcher == null) {
			return false;
		}
		this.signals.monitorExit(watcher.monitoredAs(), watcher.pid(), ref, reason);
		return true;
	}

	/** A linked process exited. Ignored unless the link exists, as in Erlang. */
	void linkExit(OtpErlangPid from, OtpErlangObject reason) {
		if (this.links.remove(from)) {
			exitSignal(from, reason, true);
		}
	}

	/** An exit signal arrived, through a link or from {@code exit/2}. */
	void exitSignal(OtpErlangPid from, OtpErlangObject reason, boolean viaLink) {
		if (!viaLink && Terms.KILL.equals(reason)) {
			terminate(Terms.KILLED);
		}
		else if (trapsExits()) {
			deliver(Terms.tuple(Terms.EXIT, from, reason));
		}
		else if (!Terms.NORMAL.equals(reason)) {
			terminate(reason);
		}
	}

	/** Drops links and monitors involving {@code node}: linked processes there exit with noconnection. */
	void nodeDown(String node) {
		List<OtpErlangPid> lost = new ArrayList<>();
		for (OtpErlangPid linked : this.links) {
			if (linked.node().equals(node)) {
				lost.add(linked);
			}
		}
		this.watchers.values().removeIf((watcher) -> watcher.pid().node().equals(node));
		for (OtpErlangPid linked : lost) {
			linkExit(linked, Terms.NOCONNECTION);
		}
	}

	/**
	 * Ends this process: it leaves the process table, linked processes get an exit signal and
	 * monitors fire, all with {@code reason}.
	 */
	void terminate(OtpErlangObject reason) {
		if (!this.exitReason.compareAndSet(null, reason)) {
			return;
		}
		this.signals.table().remove(this);
		for (OtpErlangPid linked : this.links) {
			this.signals.exit(this.pid, linked, reason);
		}
		this.links.clear();
		for (Map.Entry<OtpErlangRef, Watcher> entry : this.watchers.entrySet()) {
			Watcher watcher = entry.getValue();
			this.signals.monitorExit(watcher.monitoredAs(), watcher.pid(), entry.getKey(), reason);
		}
		this.watchers.clear();
		this.signals.table().dropMonitorsOwnedBy(this.pid, this.signals);
		terminated(reason);
	}

}
