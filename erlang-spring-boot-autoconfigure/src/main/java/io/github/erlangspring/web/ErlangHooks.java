package io.github.erlangspring.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.bridge.SpringBridge;
import io.github.erlangspring.node.ErlangFutures;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.dist.BoundedTerms;
import io.github.erlangspring.observation.ErlangInteraction;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.web.HookTerms.Header;

/**
 * The web hook protocol, apart from any HTTP stack: builds the request term, calls the hooks
 * ({@code spring_bridge:call(Name, Args)}), reads their three answer shapes, and applies the
 * {@link HookFailureMode}. {@link ErlangHookFilter} (servlet) and {@link ErlangHookWebFilter}
 * (WebFlux) only adapt it to their requests and responses.
 * <p>
 * Every decision completes, normally, within the hook timeout plus {@link ErlangFutures#MARGIN
 * a margin}: a hook that fails, times out or answers anything else becomes
 * {@link HookDecision#CONTINUE} (failing open) or {@link HookDecision.Fail} (failing closed).
 */
final class ErlangHooks {

	private static final Logger logger = LoggerFactory.getLogger(ErlangHooks.class);

	private final ErlangNode node;

	private final String erlangNode;

	private final Hooks hooks;

	private final Duration timeout;

	private final HookFailureMode failureMode;

	private final int failureStatus;

	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	private volatile Set<String> withheldHeaders = HookTerms.lowerCase(HookTerms.DEFAULT_WITHHELD_HEADERS);

	ErlangHooks(ErlangNode node, String erlangNode, Hooks hooks, Duration timeout, HookFailureMode failureMode,
			int failureStatus) {
		if (erlangNode == null || erlangNode.isBlank()) {
			throw new IllegalArgumentException("Erlang hooks need the node they are registered on");
		}
		this.node = node;
		this.erlangNode = erlangNode;
		this.hooks = hooks;
		this.timeout = timeout;
		this.failureMode = failureMode;
		this.failureStatus = failureStatus;
	}

	void setObservations(ErlangObservations observations) {
		this.observations = observations;
	}

	void setWithheldHeaders(Collection<String> names) {
		this.withheldHeaders = HookTerms.lowerCase(names);
	}

	Hooks hooks() {
		return this.hooks;
	}

	String erlangNode() {
		return this.erlangNode;
	}

	/**
	 * The {@code Request} map the hooks get.
	 * @param method the HTTP method
	 * @param path the path as sent
	 * @param query the query string as sent, or {@code null}
	 * @param headers every request header (those withheld are left out here)
	 * @param peer the client's address, or {@code null}
	 * @return the term
	 */
	OtpErlangMap request(String method, String path, String query, List<Header> headers, String peer) {
		List<Header> sent = new ArrayList<>();
		for (Header header : headers) {
			if (!HookTerms.isWithheld(header.name(), this.withheldHeaders)) {
				sent.add(header);
			}
		}
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("method", HookTerms.binary(method));
		fields.put("path", HookTerms.binary(path));
		fields.put("query", (query != null) ? HookTerms.binary(query) : HookTerms.UNDEFINED);
		fields.put("headers", HookTerms.headers(sent));
		fields.put("peer", (peer != null) ? HookTerms.binary(peer) : HookTerms.UNDEFINED);
		return HookTerms.map(fields);
	}

	/**
	 * {@code on_request(Request)}.
	 * @return {@link HookDecision#CONTINUE}, {@link HookDecision.Respond} or {@link HookDecision.Fail}
	 */
	CompletableFuture<HookDecision> onRequest(OtpErlangMap request) {
		return decide("on-request", this.hooks.onRequest(), (result) -> {
			if (SpringBridge.isAtom(result, "continue")) {
				return HookDecision.CONTINUE;
			}
			if (result instanceof OtpErlangTuple respond && respond.arity() == 4
					&& SpringBridge.isAtom(respond.elementAt(0), "respond")) {
				return new HookDecision.Respond(HookTerms.status(respond.elementAt(1)),
						HookTerms.readHeaders(respond.elementAt(2)), HookTerms.body(respond.elementAt(3)));
			}
			throw new HookFailure("expected continue or {respond, Status, Headers, Body}, got " + BoundedTerms.describe(result));
		}, request);
	}

	/**
	 * {@code on_error(Request, #{class := Class, message := Message})}.
	 * @return {@link HookDecision#CONTINUE} (the exception goes on), {@link HookDecision.Respond}
	 * or {@link HookDecision.Fail}
	 */
	CompletableFuture<HookDecision> onError(OtpErlangMap request, Throwable error) {
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("class", HookTerms.binary(error.getClass().getName()));
		fields.put("message", HookTerms.binary((error.getMessage() != null) ? error.getMessage() : ""));
		return decide("on-error", this.hooks.onError(), (result) -> {
			if (SpringBridge.isAtom(result, "continue")) {
				return HookDecision.CONTINUE;
			}
			if (result instanceof OtpErlangTuple answer && answer.arity() == 2) {
				return new HookDecision.Respond(HookTerms.status(answer.elementAt(0)), List.of(),
						HookTerms.body(answer.elementAt(1)));
			}
			throw new HookFailure("expected {Status, Body} or continue, got " + BoundedTerms.describe(result));
		}, request, HookTerms.map(fields));
	}

	/**
	 * {@code on_response(Request, #{status := Status, headers := Headers})}.
	 * @return {@link HookDecision#CONTINUE}, {@link HookDecision.Amend} or {@link HookDecision.Fail}
	 */
	CompletableFuture<HookDecision> onResponse(OtpErlangMap request, int status, List<Header> headers) {
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("status", new OtpErlangLong(status));
		fields.put("headers", HookTerms.headers(headers));
		return decide("on-response", this.hooks.onResponse(), (result) -> {
			if (SpringBridge.isAtom(result, "continue")) {
				return HookDecision.CONTINUE;
			}
			if (result instanceof OtpErlangTuple change && change.arity() == 2) {
				return new HookDecision.Amend(HookTerms.status(change.elementAt(0)),
						HookTerms.readHeaders(change.elementAt(1)));
			}
			throw new HookFailure("expected continue or {Status, Headers}, got " + BoundedTerms.describe(result));
		}, request, HookTerms.map(fields));
	}

	private CompletableFuture<HookDecision> decide(String hook, String function,
			Function<OtpErlangObject, HookDecision> answer, OtpErlangObject... args) {
		CompletableFuture<OtpErlangObject> call;
		try {
			// observed as a call of the registered function, which gets the request's trace context
			call = this.observations
				.clientAsyncWithContext(ErlangInteraction.FUNCTION, this.erlangNode, function,
						(context) -> this.node.rpc(this.erlangNode, SpringBridge.MODULE, "call",
								SpringBridge.callArguments(function, context, args), this.timeout))
				// the call times out by itself; the margin only guards against a lost reply
				.orTimeout(this.timeout.plus(ErlangFutures.MARGIN).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RuntimeException ex) {
			call = CompletableFuture.failedFuture(ex);
		}
		return call.handle((result, failure) -> {
			if (failure == null) {
				try {
					return answer.apply(result);
				}
				catch (RuntimeException ex) {
					failure = ex;
				}
			}
			return failed(hook, function, failure);
		});
	}

	private HookDecision failed(String hook, String function, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof ErlangRemoteException remote) {
			cause = SpringBridge.translate(remote, this.erlangNode, function);
		}
		String message = (cause instanceof TimeoutException) ? "no answer within " + this.timeout : cause.getMessage();
		logger.warn("Erlang hook {} ({} on {}) failed, failing {}: {}", hook, function, this.erlangNode,
				(this.failureMode == HookFailureMode.OPEN) ? "open" : "closed with " + this.failureStatus, message);
		logger.debug("Erlang hook {} failure", hook, cause);
		return (this.failureMode == HookFailureMode.OPEN) ? HookDecision.CONTINUE : new HookDecision.Fail(this.failureStatus);
	}

	private static final class HookFailure extends RuntimeException {

		HookFailure(String message) {
			super(message);
		}

	}

}
