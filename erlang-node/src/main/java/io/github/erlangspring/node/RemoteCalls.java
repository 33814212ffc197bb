package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.dist.Control;
import io.github.erlangspring.node.dist.DistConnection;

/**
 * Java calling Erlang: {@code gen_server:call} (monitor plus alias, as {@code gen:call} does in
 * OTP 24+) and {@code erpc:call} (a spawn request for {@code erpc:execute_call/4} whose exit
 * reason, delivered by the monitor, is the result). Every call is asynchronous; none holds a
 * thread while waiting.
 */
final class RemoteCalls {

	private static final OtpErlangAtom ERPC = new OtpErlangAtom("erpc");

	/** {@code {erpc, execute_call, 4}}: what an erpc call spawns. */
	private static final OtpErlangTuple EXECUTE_CALL = Terms.tuple(ERPC, Terms.atom("execute_call"),
			new OtpErlangLong(4));

	private static final OtpErlangList MONITOR_OPTION = Terms.list(Terms.atom("monitor"));

	private final ProcessTable table;

	private final Signals signals;

	private final Connections connections;

	private final Deadlines deadlines;

	private final OtpErlangPid client;

	private final OtpErlangPid groupLeader;

	RemoteCalls(ProcessTable table, Signals signals, Connections connections, ScheduledExecutorService scheduler,
			java.util.concurrent.Executor actions,
			OtpErlangPid client, OtpErlangPid groupLeader) {
		this.table = table;
		this.signals = signals;
		this.connections = connections;
		this.deadlines = new Deadlines(scheduler, actions);
		this.client = client;
		this.groupLeader = groupLeader;
	}

	/**
	 * {@code gen_server:call(Dest, Request, Timeout)}.
	 * @param target a pid, or a registered name as an atom
	 * @param node the target's node
	 */
	CompletableFuture<OtpErlangObject> genCall(OtpErlangObject target, String node, OtpErlangObject request,
			Duration timeout) {
		CompletableFuture<OtpErlangObject> result = new CompletableFuture<>();
		// built only when a failure names the call: not on every call
		Supplier<String> description = () -> describe(target, node);
		// The timeout runs from here, connecting included, as in Erlang.
		Deadlines.Deadline deadline = this.deadlines.add(timeout.toNanos(), () -> result.completeExceptionally(
				new ErlangTimeoutException("gen_server:call to " + description.get() + " timed out after " + timeout)));
		OtpErlangRef ref = this.table.newRef();
		this.table.addAlias(ref, (message) -> {
			OtpErlangObject reply = replyFor(ref, message);
			if (reply != null && result.complete(reply)) {
				finishCall(ref, target, node);
			}
		});
		this.table.holdMonitor(ref, new ProcessTable.HeldMonitor(this.client, node, target, (reason) -> {
			this.table.removeAlias(ref);
			result.completeExceptionally(callFailure(description, node, reason));
		}));
		result.whenComplete((value, ex) -> {
			deadline.cancel();
			if (ex instanceof ErlangTimeoutException) {
				finishCall(ref, target, node);
			}
		});
		if (result.isDone()) {
			return result;
		}
		OtpErlangObject tag = GenMessage.From.aliasTag(ref);
		OtpErlangTuple message = Terms.tuple(GenMessage.GEN_CALL, Terms.tuple(this.client, tag), request);
		if (node.equals(this.table.nodeName())) {
			this.signals.monitor(this.client, target, node, ref);
			deliverLocally(target, message);
		}
		else {
			// Sent as the client's messages are: in order with them, connecting in the
			// background when needed (the call's timeout covers it, as in Erlang)
			Consumer<Throwable> undelivered = (failure) -> {
				result.completeExceptionally(new ErlangNodeDownException(node, "gen_server:call to " + description.get()
						+ " failed: cannot connect to " + node + " (" + failure.getMessage() + ")", failure));
				this.table.removeAlias(ref);
				this.table.releaseMonitor(ref);
			};
			DistConnection.cork();
			try {
				this.connections.send(node, Control.monitor(this.client, target, ref), null, true, undelivered);
				this.connections.send(node, sendControl(target), message, true, undelivered);
			}
			finally {
				DistConnection.uncork();
			}
		}
		return result;
	}

	private void deliverLocally(OtpErlangObject target, OtpErlangObject message) {
		if (target instanceof OtpErlangPid pid) {
			this.signals.send(this.client, pid, message);
		}
		else {
			this.signals.send(this.client, ((OtpErlangAtom) target).atomValue(), this.table.nodeName(), message);
		}
	}

	private OtpErlangTuple sendControl(OtpErlangObject target) {
		return (target instanceof OtpErlangPid pid) ? Control.send(pid)
				: Control.regSend(this.client, ((OtpErlangAtom) target).atomValue());
	}

	private static OtpErlangObject replyFor(OtpErlangRef ref, OtpErlangObject message) {
		if (message instanceof OtpErlangTuple tuple && tuple.arity() == 2 && ref.equals(GenMessage.From.aliasOf(tuple.elementAt(0)))) {
			return tuple.elementAt(1);
		}
		return null;
	}

	private void finishCall(OtpErlangRef ref, OtpErlangObject target, String node) {
		this.table.removeAlias(ref);
		if (this.table.releaseMonitor(ref) != null) {
			this.signals.demonitor(this.client, target, node, ref);
		}
	}

	private static ErlangException callFailure(Supplier<String> description, String node, OtpErlangObject reason) {
		if (Terms.NOPROC.equals(reason)) {
			return new ErlangNoProcessException("gen_server:call to " + description.get() + " failed: noproc");
		}
		if (Terms.NOCONNECTION.equals(reason)) {
			return new ErlangNodeDownException(node, "gen_server:call to " + description.get() + " failed: nodedown");
		}
		return new ErlangRemoteException(ErlangClass.EXIT, reason, null);
	}

	/** {@code gen_server:cast(Dest, Request)}: fire and forget. */
	void genCast(OtpErlangObject target, String node, OtpErlangObject request) {
		OtpErlangTuple message = Terms.tuple(GenMessage.GEN_CAST, request);
		if (target instanceof OtpErlangPid pid) {
			this.signals.send(this.client, pid, message);
		}
		else {
			this.signals.send(this.client, ((OtpErlangAtom) target).atomValue(), node, message);
		}
	}

	/** {@code erpc:call(Node, Module, Function, Args, Timeout)}. */
	CompletableFuture<OtpErlangObject> erpcCall(String node, String module, String function, OtpErlangList args,
			Duration timeout) {
		CompletableFuture<OtpErlangObject> result = new CompletableFuture<>();
		Supplier<String> description = () -> module + ":" + function + "/" + args.arity() + " on " + node;
		// The timeout runs from here, connecting included, as in Erlang.
		Deadlines.Deadline deadline = this.deadlines.add(timeout.toNanos(), () -> result.completeExceptionally(
				new ErlangTimeoutException("erpc:call of " + description.get() + " timed out after " + timeout)));
		OtpErlangRef reqId = this.table.newRef();
		OtpErlangRef res = this.table.newRef();
		AtomicReference<OtpErlangPid> spawned = new AtomicReference<>();
		result.whenComplete((value, ex) -> {
			deadline.cancel();
			if (ex instanceof ErlangTimeoutException) {
				this.table.releaseMonitor(reqId);
				OtpErlangPid pid = spawned.get();
				if (pid != null) {
					abandon(pid, reqId, node);
				}
			}
		});
		this.table.holdMonitor(reqId, new ProcessTable.HeldMonitor(this.client, node, this.client,
				(reason) -> complete(result, res, reason, node, description)));
		this.table.expectSpawnReply(reqId, new ProcessTable.SpawnReplyHandler() {
			@Override
			public String node() {
				return node;
			}

			@Override
			public void replied(OtpErlangObject pidOrError) {
				if (pidOrError instanceof OtpErlangPid pid) {
					spawned.set(pid);
					if (result.isDone()) {
						abandon(pid, reqId, node);
					}
				}
				else {
					RemoteCalls.this.table.releaseMonitor(reqId);
					result.completeExceptionally(Terms.NOCONNECTION.equals(pidOrError)
							? new ErlangNodeDownException(node, "erpc:call of " + description.get() + " failed: noconnection")
							: new ErlangRemoteException(ErlangClass.ERROR, Terms.tuple(ERPC, pidOrError), null));
				}
			}
		});
		OtpErlangList arguments = Terms.list(res, Terms.atom(module), Terms.atom(function), args);
		// in order with the client's messages, connecting in the background when needed; corked,
		// so that it leaves now even when sent in a burst (its caller is about to wait for it)
		DistConnection.cork();
		try {
			this.connections.send(node, Control.spawnRequest(reqId, this.client, this.groupLeader, EXECUTE_CALL,
					MONITOR_OPTION), arguments, true, (failure) -> {
						this.table.releaseMonitor(reqId);
						this.table.spawnReplied(reqId, node);
						result.completeExceptionally(new ErlangNodeDownException(node,
								"erpc:call of " + description.get() + " failed: cannot connect (" + failure.getMessage() + ")",
								failure));
					});
		}
		finally {
			DistConnection.uncork();
		}
		return result;
	}

	/**
	 * As {@code erpc} on a timeout: drop the monitor of the call, which runs on unobserved. A
	 * spawn reply still to come does this when it arrives.
	 */
	private void abandon(OtpErlangPid spawned, OtpErlangRef reqId, String node) {
		this.signals.demonitor(this.client, spawned, node, reqId);
	}

	private static void complete(CompletableFuture<OtpErlangObject> result, OtpErlangRef res, OtpErlangObject reason,
			String node, Supplier<String> description) {
		if (reason instanceof OtpErlangTuple tuple && tuple.arity() >= 3 && res.equals(tuple.elementAt(0))) {
			ErlangClass raised = ErlangClass.of(tuple.elementAt(1));
			if (raised != null) {
				result.completeExceptionally(
						new ErlangRemoteException(raised, tuple.elementAt(2), (tuple.arity() > 3) ? tuple.elementAt(3) : null));
			}
			else {
				// {Res, return, Value}
				result.complete(tuple.elementAt(2));
			}
		}
		else if (Terms.NOCONNECTION.equals(reason)) {
			result.completeExceptionally(
					new ErlangNodeDownException(node, "erpc:call of " + description.get() + " failed: noconnection"));
		}
		else {
			result.completeExceptionally(new ErlangRemoteException(ErlangClass.EXIT, Terms.tuple(Terms.atom("signal"), reason), null));
		}
	}

	/** {@code erpc:cast(Node, Module, Function, Args)}. */
	void erpcCast(String node, String module, String function, OtpErlangList args) {
		// asynchronous, as erpc:cast: it does not wait for a connection, and is dropped if none can be set up
		this.connections.send(node, Control.spawnRequest(this.table.newRef(), this.client, this.groupLeader, "erpc",
				"execute_cast", 3, new OtpErlangList()), Terms.list(Terms.atom(module), Terms.atom(function), args), true,
				null);
	}

	private static String describe(OtpErlangObject target, String node) {
		return (target instanceof OtpErlangPid) ? target.toString() : "{" + target + ", '" + node + "'}";
	}

}
