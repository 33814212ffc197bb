package io.github.erlangspring.node;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.node.dist.BoundedTerms;
import io.github.erlangspring.node.dist.Control;
import io.github.erlangspring.node.dist.DistConnection;

/**
 * The server side of {@code erpc} (and so of {@code rpc:call}, {@code rpc:cast} and
 * {@code rpc:multicall} since OTP 23): a spawn request for {@code erpc:execute_call/4} becomes a
 * short-lived process of this node that runs the Java function and exits with the result, which
 * the caller's monitor delivers. Other spawn requests get a process that exits with
 * {@code undef}, as spawning a missing function does on an Erlang node.
 */
final class RpcServer {

	private static final Logger logger = LoggerFactory.getLogger(RpcServer.class);

	private final ProcessTable table;

	private final Signals signals;

	private final Executor executor;

	private volatile FunctionTable functions = FunctionTable.EMPTY;

	private volatile boolean onReader;

	private volatile boolean refusing;

	/**
	 * Calls into Java that may run at once by default, whichever thread runs them; beyond, a spawn
	 * is refused with {@code system_limit}, as Erlang refuses one past its process limit.
	 */
	static final int MAX_CALLS = 1024;

	private volatile int maxCalls = MAX_CALLS;

	private volatile java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(MAX_CALLS);

	RpcServer(ProcessTable table, Signals signals, Executor executor) {
		this.table = table;
		this.signals = signals;
		this.executor = executor;
	}

	/**
	 * Whether calls run on the connection's reader thread, another thread taking over reading
	 * (the default, when no executor is configured), instead of being handed to the executor.
	 */
	void runOnReader(boolean onReader) {
		this.onReader = onReader;
	}

	void functions(FunctionTable functions) {
		this.functions = (functions != null) ? functions : FunctionTable.EMPTY;
	}

	FunctionTable functions() {
		return this.functions;
	}

	Executor executor() {
		return this.executor;
	}

	/**
	 * Refuses the calls that come from now on (the node is stopping), as a node that went away:
	 * the caller's {@code erpc} fails with {@code noconnection}. Calls already running go on.
	 */
	void refuseNewCalls() {
		this.refusing = true;
	}

	/** How many calls from peers may run at once (set before the node serves); beyond, spawns are refused. */
	void limitConcurrentCalls(int calls) {
		this.maxCalls = calls;
		this.permits = new java.util.concurrent.Semaphore(calls);
	}

	/** @return whether another call may run now; if so, {@link #exit()} when it ends */
	boolean tryEnter() {
		return this.permits.tryAcquire();
	}

	void exit() {
		this.permits.release();
	}

	/** @return how many calls into Java run now */
	int running() {
		return this.maxCalls - this.permits.availablePermits();
	}

	void spawnRequest(DistConnection connection, OtpErlangRef reqId, OtpErlangPid from, OtpErlangPid groupLeader,
			OtpErlangTuple mfa, OtpErlangList options, OtpErlangObject argList) {
		if (this.refusing) {
			connection.send(Control.spawnReply(reqId, from, 0, Terms.NOCONNECTION), null);
			return;
		}
		String module = ((OtpErlangAtom) mfa.elementAt(0)).atomValue();
		String function = ((OtpErlangAtom) mfa.elementAt(1)).atomValue();
		OtpErlangList argTerms = Terms.properList(argList);
		if (argTerms == null) {
			throw new IllegalArgumentException("spawn request arguments are not a list: " + argList);
		}
		List<OtpErlangObject> args = Arrays.asList(argTerms.elements());
		if (!tryEnter()) {
			connection.send(Control.spawnReply(reqId, from, 0, Terms.atom("system_limit")), null);
			return;
		}
		boolean link = hasOption(options, "link");
		boolean monitor = hasOption(options, "monitor");
		SpawnedCall process = new SpawnedCall(this.table.newPid(), this.signals);
		this.table.add(process);
		if (link) {
			process.addLink(from);
		}
		if (monitor) {
			process.addWatcher(reqId, new LocalProcess.Watcher(from, process.pid));
		}
		int flags = (link ? Control.SPAWN_FLAG_LINK : 0) | (monitor ? Control.SPAWN_FLAG_MONITOR : 0);
		OtpErlangTuple reply = Control.spawnReply(reqId, from, flags, process.pid);
		Runnable body = body(module, function, args, from, process);
		Runnable work = () -> {
			DistConnection.startTask();
			connection.sendWithNextWrite(reply, null);
			try {
				process.run(body);
			}
			finally {
				exit();
				connection.flush();
				DistConnection.endTask();
			}
		};
		if (this.onReader && connection.runOnReader(work)) {
			return;
		}
		try {
			// The reply leaves with the first frame the call sends, mostly its result: one write.
			// Not corked: a function that calls back over this connection must not wait on itself.
			this.executor.execute(work);
		}
		catch (RejectedExecutionException ex) {
			// No worker to run it (the node is stopping): refuse the spawn as Erlang does.
			exit();
			this.table.remove(process);
			connection.send(Control.spawnReply(reqId, from, 0, Terms.atom("system_limit")), null);
		}
	}

	private Runnable body(String module, String function, List<OtpErlangObject> args, OtpErlangPid from,
			SpawnedCall process) {
		if (module.equals("erpc") && function.equals("execute_call") && args.size() == 4) {
			return () -> {
				OtpErlangObject res = args.get(0);
				RpcCall call = toCall(args.get(1), args.get(2), args.get(3), from);
				Outcome outcome = (call != null) ? Outcome.invoke(this.functions, call)
						: new Outcome(ErlangClass.ERROR, Terms.tuple(Terms.atom("erpc"), Terms.atom("badarg")), null);
				process.terminate(outcome.erpcReason(res));
			};
		}
		if (module.equals("erpc") && function.equals("execute_cast") && args.size() == 3) {
			return () -> {
				RpcCall call = toCall(args.get(0), args.get(1), args.get(2), from);
				Outcome outcome = (call != null) ? Outcome.invoke(this.functions, call) : null;
				if (outcome == null || !outcome.isReturn()) {
					logger.warn("rpc:cast of {}:{} from {} failed: {}", BoundedTerms.describe(args.get(0)),
							BoundedTerms.describe(args.get(1)), from,
							(outcome != null) ? outcome.kind() + ":" + BoundedTerms.describe(outcome.value()) : "badarg");
				}
				process.terminate(Terms.NORMAL);
			};
		}
		return () -> {
			Outcome undef = Outcome.undef(new RpcCall(module, function, args, from));
			logger.warn("Erlang process {} spawned {}:{}/{} on this node: no such function", from, module, function,
					args.size());
			process.terminate(Terms.tuple(undef.value(), undef.stack()));
		};
	}

	/** @return the call, or {@code null} when M, F or A are not an atom, an atom and a list */
	static RpcCall toCall(OtpErlangObject module, OtpErlangObject function, OtpErlangObject args, OtpErlangPid caller) {
		OtpErlangList a = Terms.properList(args);
		if (module instanceof OtpErlangAtom m && function instanceof OtpErlangAtom f && a != null) {
			return new RpcCall(m.atomValue(), f.atomValue(), Arrays.asList(a.elements()), caller);
		}
		return null;
	}

	private static boolean hasOption(OtpErlangList options, String name) {
		for (OtpErlangObject option : options) {
			if (Terms.isAtom(option, name)) {
				return true;
			}
			if (option instanceof OtpErlangTuple tuple && tuple.arity() == 2 && Terms.isAtom(tuple.elementAt(0), name)) {
				return true;
			}
		}
		return false;
	}

	/** The process a spawn request creates: runs once, then exits with the outcome. */
	static final class SpawnedCall extends LocalProcess {

		private volatile Thread worker;

		SpawnedCall(OtpErlangPid pid, Signals signals) {
			super(pid, signals);
		}

		void run(Runnable body) {
			if (!isAlive()) {
				return;
			}
			this.worker = Thread.currentThread();
			try {
				body.run();
			}
			finally {
				this.worker = null;
				Thread.interrupted();
			}
		}

		@Override
		void deliver(OtpErlangObject message) {
			// Nothing reads messages sent to a running call.
		}

		@Override
		void terminated(OtpErlangObject reason) {
			Thread running = this.worker;
			if (running != null && running != Thread.currentThread()) {
				running.interrupt();
			}
		}

	}


}
