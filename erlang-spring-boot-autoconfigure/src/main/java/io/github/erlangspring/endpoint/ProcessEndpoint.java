package io.github.erlangspring.endpoint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.handler.ErlangCaller;
import io.github.erlangspring.handler.ErlangErrorHandler;
import io.github.erlangspring.handler.ErlangInvocation;
import io.github.erlangspring.handler.ProcessHandlers;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangRaiseException;
import io.github.erlangspring.node.GenMessage;
import io.github.erlangspring.node.GenResult;
import io.github.erlangspring.node.GenServer;
import io.github.erlangspring.node.GenServerProcess;
import io.github.erlangspring.node.Mailbox;
import io.github.erlangspring.node.NodeObserver.MessageKind;
import io.github.erlangspring.node.NodeObserver.Result;
import io.github.erlangspring.node.NodeObserver;
import io.github.erlangspring.node.SpawnOptions;
import io.github.erlangspring.node.dist.BoundedTerms;
import io.github.erlangspring.observation.ErlangInteraction;
import io.github.erlangspring.observation.ErlangObservations;

/**
 * A running {@link ErlangProcess}: the engine's {@code gen_server} behaviour
 * ({@link GenServerProcess}, which decodes the messages and answers the {@code sys} protocol)
 * spawned on the node, with a {@link GenServer} that adapts its callbacks to the annotated
 * handlers (run on the node's scheduler, or on an executor when concurrency allows). It owns no
 * thread. Calls are answered through {@link ErlangCaller} (converted, routed through the error
 * handler), so the callbacks return {@link GenResult#noReply()}.
 */
final class ProcessEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(ProcessEndpoint.class);

	private static final OtpErlangAtom OK = new OtpErlangAtom("ok");

	private final String name;

	private final int concurrency;

	private final ProcessHandlers calls;

	private final ProcessHandlers casts;

	private final ProcessHandlers infos;

	private final ErlangConverter converter;

	private final ErlangErrorHandler errorHandler;

	private volatile Executor executor;

	private final AtomicLong handled = new AtomicLong();

	private volatile Mailbox mailbox;

	private volatile NodeObserver observer = NodeObserver.NONE;

	private volatile Semaphore permits;

	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	private volatile ErlangNode node;

	private volatile OtpErlangObject stopMessage;

	private volatile GenServerProcess process;

	private volatile Object bean;

	private volatile Class<?> beanType;

	private volatile CountDownLatch loop = new CountDownLatch(0);

	private static final OtpErlangAtom STOP = new OtpErlangAtom("$esb_stop");

	private static final OtpErlangAtom SHUTDOWN = new OtpErlangAtom("shutdown");

	ProcessEndpoint(String name, int concurrency, ProcessHandlers calls, ProcessHandlers casts, ProcessHandlers infos,
			ErlangConverter converter, ErlangErrorHandler errorHandler) {
		this.name = name;
		this.concurrency = concurrency;
		this.calls = calls;
		this.casts = casts;
		this.infos = infos;
		this.converter = converter;
		this.errorHandler = errorHandler;
	}

	String name() {
		return this.name;
	}

	/** The bean whose handlers run here: what {@code sys:get_state} and {@code sys:get_status} show. */
	void describeAs(Object bean, Class<?> type) {
		this.bean = bean;
		this.beanType = type;
	}

	Object bean() {
		return this.bean;
	}

	Class<?> beanType() {
		return (this.beanType != null) ? this.beanType : (this.bean != null) ? this.bean.getClass() : Object.class;
	}

	int concurrency() {
		return this.concurrency;
	}

	void setObservations(ErlangObservations observations) {
		this.observations = observations;
	}

	Mailbox mailbox() {
		return this.mailbox;
	}

	long handledMessages() {
		return this.handled.get();
	}

	/**
	 * Starts a new incarnation: a process registered under the name on the running node, run by
	 * the node's scheduler (no thread of its own).
	 * @param node the node
	 * @param executor where handlers run when concurrency allows
	 */
	void start(ErlangNode node, Executor executor) {
		NodeObserver nodeObserver = node.observer();
		this.observer = (nodeObserver != null) ? nodeObserver : NodeObserver.NONE;
		this.executor = executor;
		this.node = node;
		this.permits = new Semaphore(this.concurrency);
		this.stopMessage = new OtpErlangTuple(new OtpErlangObject[] { STOP, new OtpErlangLong(System.nanoTime()) });
		this.loop = new CountDownLatch(1);
		this.process = new GenServerProcess(new Behaviour(this.stopMessage, this.loop));
		this.mailbox = node.spawn(this.process, SpawnOptions.DEFAULT.withName(this.name));
	}

	/**
	 * Stops taking messages, lets the handlers running finish within {@code grace}, then exits
	 * with {@code shutdown} (so links and monitors see it; calls still waiting get that error).
	 * @param grace how long running handlers may take
	 */
	void stop(Duration grace) {
		Mailbox current = this.mailbox;
		if (current == null || !current.isAlive()) {
			return;
		}
		long deadline = System.nanoTime() + grace.toNanos();
		try {
			this.node.send(current.self(), this.stopMessage);
			if (this.loop.await(grace.toNanos(), TimeUnit.NANOSECONDS) && this.concurrency > 1) {
				long left = Math.max(0, deadline - System.nanoTime());
				if (this.permits.tryAcquire(this.concurrency, left, TimeUnit.NANOSECONDS)) {
					this.permits.release(this.concurrency);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			logger.debug("Erlang process {} could not be stopped in order: {}", this.name, ex.toString());
		}
		current.close(SHUTDOWN);
	}

	/**
	 * The callbacks: calls, casts and other messages to the handlers; the stop message ends
	 * them. What {@code sys} shows: the bean ({@link #systemState()}), its class as the module,
	 * the concurrency and the queue.
	 */
	private final class Behaviour implements GenServer {

		private final OtpErlangObject stop;

		private final CountDownLatch ended;

		private boolean stopped;

		Behaviour(OtpErlangObject stop, CountDownLatch ended) {
			this.stop = stop;
			this.ended = ended;
		}

		@Override
		public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from)
				throws InterruptedException {
			return dispatch(self, new GenMessage.Call(from, request));
		}

		@Override
		public GenResult.Async handleCast(Mailbox self, OtpErlangObject request) throws InterruptedException {
			return dispatch(self, new GenMessage.Cast(request));
		}

		@Override
		public GenResult.Async handleInfo(Mailbox self, OtpErlangObject message) throws InterruptedException {
			if (!this.stopped && this.stop.equals(message)) {
				this.stopped = true;
				this.ended.countDown();
				return GenResult.noReply();
			}
			return dispatch(self, new GenMessage.Info(message));
		}

		private GenResult.NoReply dispatch(Mailbox box, GenMessage message) throws InterruptedException {
			if (this.stopped) {
				return GenResult.noReply();
			}
			if (ProcessEndpoint.this.concurrency == 1) {
				handleSafely(box, message);
				return GenResult.noReply();
			}
			ProcessEndpoint.this.permits.acquire();
			try {
				ProcessEndpoint.this.executor.execute(() -> {
					try {
						handleSafely(box, message);
					}
					finally {
						ProcessEndpoint.this.permits.release();
					}
				});
			}
			catch (RuntimeException ex) {
				ProcessEndpoint.this.permits.release();
				throw ex;
			}
			return GenResult.noReply();
		}

		@Override
		public void terminate(Mailbox box, OtpErlangObject reason) {
			logger.debug("Erlang process {} exited: {}", ProcessEndpoint.this.name, BoundedTerms.describe(reason));
			this.ended.countDown();
		}

		@Override
		public OtpErlangObject systemState() {
			return state();
		}

		@Override
		public String module() {
			return beanType().getName();
		}

		@Override
		public List<OtpErlangTuple> statusData() {
			Mailbox box = ProcessEndpoint.this.mailbox;
			return List.of(
					new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangString("Concurrency"),
							new OtpErlangLong(ProcessEndpoint.this.concurrency) }),
					new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangString("Queued"),
							new OtpErlangLong((box != null) ? box.queueSize() : 0) }));
		}

	}

	/**
	 * What {@code sys:get_state} returns for a Java bean, which has no Erlang state: a map
	 * {@code #{name => Name, class => <<"com.example.Bean">>, state => <<"bean.toString()">>,
	 * handled => Messages, suspended => Bool}}.
	 */
	OtpErlangObject state() {
		Object bean = this.bean;
		String text;
		try {
			text = String.valueOf(bean);
		}
		catch (RuntimeException ex) {
			text = beanType().getName() + " (toString failed: " + ex + ")";
		}
		GenServerProcess current = this.process;
		return new OtpErlangMap(
				new OtpErlangObject[] { new OtpErlangAtom("name"), new OtpErlangAtom("class"),
						new OtpErlangAtom("state"), new OtpErlangAtom("handled"), new OtpErlangAtom("suspended") },
				new OtpErlangObject[] { new OtpErlangAtom(this.name), binary(beanType().getName()), binary(text),
						new OtpErlangLong(handledMessages()),
						new OtpErlangAtom(current != null && current.isSuspended()) });
	}

	private static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Handles one message. An exception that escapes the handlers (a reply that cannot be
	 * converted) is logged and the process goes on; an {@code Error} crashes the process as it
	 * would crash an Erlang one: it exits with {@code {'java.lang.SomeError', Message}}, which
	 * its links and monitors (a {@code gen_server:call} waiting on it) see, and its name is free.
	 */
	private void handleSafely(Mailbox box, GenMessage message) {
		try {
			handle(message);
		}
		catch (RuntimeException ex) {
			logger.error("Erlang process {} failed handling {}", this.name, describe(message), ex);
		}
		catch (Throwable ex) {
			crash(box, ex);
		}
	}

	private static String describe(GenMessage message) {
		if (message instanceof GenMessage.Call call) {
			return "call " + BoundedTerms.describe(call.request());
		}
		if (message instanceof GenMessage.Cast cast) {
			return "cast " + BoundedTerms.describe(cast.request());
		}
		return (message instanceof GenMessage.Info info) ? BoundedTerms.describe(info.message()) : message.toString();
	}

	private void crash(Mailbox box, Throwable ex) {
		logger.error("Erlang process {} crashed: it exits, its name is free", this.name, ex);
		try {
			box.close(Errors.reason(ex));
		}
		catch (Throwable closing) {
			// exiting anyway
		}
	}

	private void handle(GenMessage message) {
		this.handled.incrementAndGet();
		long start = System.nanoTime();
		MessageKind kind;
		Result outcome;
		if (message instanceof GenMessage.Call call) {
			kind = MessageKind.CALL;
			OtpErlangPid pid = call.from().pid();
			outcome = observed(ErlangInteraction.CALL, pid, () -> handleCall(call.request(), new Caller(call.from())));
		}
		else if (message instanceof GenMessage.Cast cast) {
			kind = MessageKind.CAST;
			outcome = observed(ErlangInteraction.CAST, null,
					() -> handleOther(ErlangInvocation.Kind.CAST, this.casts, cast.request()));
		}
		else {
			kind = MessageKind.INFO;
			OtpErlangObject info = ((GenMessage.Info) message).message();
			outcome = observed(ErlangInteraction.SEND, null, () -> handleOther(ErlangInvocation.Kind.INFO, this.infos, info));
		}
		this.observer.messageHandled(this.name, kind, outcome, System.nanoTime() - start);
	}

	/** Handles a message inside an observation (a cast or plain message does not say who sent it). */
	private Result observed(ErlangInteraction interaction, OtpErlangPid caller, Supplier<Result> handling) {
		try {
			return this.observations.server(interaction, caller, this.name, handling::get);
		}
		catch (Exception ex) {
			// the handlers deal with their own failures
			throw new IllegalStateException(ex);
		}
	}

	/** @return how it went, for the node's observer */
	private Result handleCall(OtpErlangObject request, Caller caller) {
		ErlangInvocation invocation = new ErlangInvocation(this.name, ErlangInvocation.Kind.CALL, request, null);
		ProcessHandlers.Match match;
		Object result;
		Result failed = Result.ERROR;
		try {
			match = this.calls.match(request, this.converter);
			if (match == null) {
				failed = Result.UNMATCHED;
				throw ErlangRaiseException.error(new OtpErlangTuple(new OtpErlangObject[] {
						new OtpErlangAtom("function_clause"), request }));
			}
			invocation = new ErlangInvocation(this.name, ErlangInvocation.Kind.CALL, request, match.handler().method());
			result = match.handler().invoke(match.args(), caller);
		}
		catch (Exception ex) {
			this.observations.serverError(ex);
			recover(invocation, ex, caller);
			return failed;
		}
		if (result instanceof CompletionStage<?> stage) {
			ErlangInvocation deferred = invocation;
			stage.whenComplete((value, failure) -> {
				if (failure == null) {
					caller.reply(value);
				}
				else {
					recover(deferred, (failure instanceof Exception ex) ? ex : new IllegalStateException(failure), caller);
				}
			});
		}
		else if (!match.handler().defersReply()) {
			try {
				caller.reply((match.handler().method().getReturnType() == void.class) ? OK : result);
			}
			catch (RuntimeException ex) {
				// the result cannot be converted: the caller gets the error, not a timeout
				recover(invocation, ex, caller);
				return Result.ERROR;
			}
		}
		return Result.OK;
	}

	private void recover(ErlangInvocation invocation, Exception error, Caller caller) {
		try {
			caller.reply(this.errorHandler.handleError(invocation, unwrap(error)));
		}
		catch (Exception ex) {
			logger.debug("gen_server:call to {} failed: {}", this.name, ex.toString());
			caller.fail(ex);
		}
	}

	private Result handleOther(ErlangInvocation.Kind kind, ProcessHandlers handlers, OtpErlangObject message) {
		ErlangInvocation invocation = new ErlangInvocation(this.name, kind, message, null);
		try {
			ProcessHandlers.Match match = handlers.match(message, this.converter);
			if (match == null) {
				logger.warn("Erlang process {} dropped a {} message no handler takes: {}", this.name, kind,
						BoundedTerms.describe(message));
				return Result.UNMATCHED;
			}
			invocation = new ErlangInvocation(this.name, kind, message, match.handler().method());
			match.handler().invoke(match.args(), null);
			return Result.OK;
		}
		catch (Exception ex) {
			this.observations.serverError(ex);
			try {
				this.errorHandler.handleError(invocation, unwrap(ex));
			}
			catch (Exception unhandled) {
				logger.error("Erlang process {} failed handling {} {}", this.name, kind, BoundedTerms.describe(message),
						unhandled);
			}
			return Result.ERROR;
		}
	}

	private static Exception unwrap(Exception error) {
		if (error instanceof java.util.concurrent.CompletionException && error.getCause() instanceof Exception cause) {
			return cause;
		}
		return error;
	}

	/** The caller of one {@code gen_server:call}; replies at most once. */
	private final class Caller implements ErlangCaller {

		private final GenMessage.From from;

		private final AtomicBoolean answered = new AtomicBoolean();

		Caller(GenMessage.From from) {
			this.from = from;
		}

		@Override
		public OtpErlangPid pid() {
			return this.from.pid();
		}

		@Override
		public void reply(Object reply) {
			if (this.answered.get()) {
				return;
			}
			// converted first: a reply that cannot be converted leaves the call to fail instead
			OtpErlangObject term = ProcessEndpoint.this.converter.toErlang(reply);
			if (this.answered.compareAndSet(false, true)) {
				ProcessEndpoint.this.mailbox.reply(this.from.term(), term);
			}
		}

		@Override
		public void fail(Throwable error) {
			if (this.answered.compareAndSet(false, true)) {
				ProcessEndpoint.this.mailbox.failCall(this.from.term(), Errors.reason(error));
			}
		}

	}

}
