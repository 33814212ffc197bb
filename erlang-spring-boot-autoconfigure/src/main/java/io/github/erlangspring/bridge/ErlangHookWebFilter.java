package io.github.erlangspring.bridge;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.github.erlangspring.bridge.HookTerms.Header;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.dist.BoundedTerms;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The web hooks of {@link ErlangHookFilter} for reactive (WebFlux) applications: the same
 * functions, arguments, answers and failure modes, called without blocking a thread (each hook
 * is an asynchronous {@code erpc} call with the configured timeout).
 * <p>
 * {@code on_response} runs just before the response commits. In {@code CLOSED} mode a failing
 * {@code on_response} sets the failure status; a body the application already produced is still
 * written.
 */
public class ErlangHookWebFilter implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(ErlangHookWebFilter.class);

	private final ErlangNode node;

	private final String erlangNode;

	private final ErlangHookFilter.Hooks hooks;

	private final Duration timeout;

	private final HookFailureMode failureMode;

	private java.util.Set<String> withheldHeaders = HookTerms.lowerCase(HookTerms.DEFAULT_WITHHELD_HEADERS);

	private final int failureStatus;

	private int order = Ordered.HIGHEST_PRECEDENCE + 10;

	/**
	 * @param node this node
	 * @param erlangNode the node the hooks are registered on
	 * @param hooks the registered names of the hooks
	 * @param timeout how long one hook call may take
	 * @param failureMode what to do when a hook fails
	 * @param failureStatus the status answered when a hook fails in {@link HookFailureMode#CLOSED} mode
	 */
	public ErlangHookWebFilter(ErlangNode node, String erlangNode, ErlangHookFilter.Hooks hooks, Duration timeout,
			HookFailureMode failureMode, int failureStatus) {
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

	/**
	 * @param names request headers not sent to the hooks (compared ignoring case); empty sends
	 * every header. Default: the credentials, Authorization, Cookie and Proxy-Authorization.
	 */
	public void setWithheldHeaders(java.util.Collection<String> names) {
		this.withheldHeaders = HookTerms.lowerCase(names);
	}

	/** @return the hooks called */
	public ErlangHookFilter.Hooks getHooks() {
		return this.hooks;
	}

	/** @param order where this filter runs among the application's web filters */
	public void setOrder(int order) {
		this.order = order;
	}

	@Override
	public int getOrder() {
		return this.order;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		OtpErlangMap request = requestTerm(exchange.getRequest(), this.withheldHeaders);
		ServerHttpResponse response = exchange.getResponse();
		if (this.hooks.onResponse() != null) {
			response.beforeCommit(() -> afterResponse(request, response));
		}
		Mono<Void> application = Mono.defer(() -> chain.filter(exchange));
		if (this.hooks.onError() != null) {
			application = application.onErrorResume((error) -> onError(request, error, response));
		}
		if (this.hooks.onRequest() == null) {
			return application;
		}
		Mono<Void> proceed = application;
		// The hook's answer is decided first, so that only its failures, not the application's,
		// go through the failure mode.
		return call(this.hooks.onRequest(), request).map((result) -> {
			if (SpringBridge.isAtom(result, "continue")) {
				return Decision.PROCEED;
			}
			if (result instanceof OtpErlangTuple respond && respond.arity() == 4
					&& SpringBridge.isAtom(respond.elementAt(0), "respond")) {
				return new Decision(HookTerms.status(respond.elementAt(1)), HookTerms.readHeaders(respond.elementAt(2)),
						HookTerms.body(respond.elementAt(3)));
			}
			throw new HookFailure("expected continue or {respond, Status, Headers, Body}, got " + BoundedTerms.describe(result));
		}).onErrorResume(this::isHookFailure, (failure) -> {
			logFailure("on-request", this.hooks.onRequest(), failure);
			return Mono.just((this.failureMode == HookFailureMode.OPEN) ? Decision.PROCEED : Decision.FAILED);
		}).flatMap((decision) -> {
			if (decision == Decision.PROCEED) {
				return proceed;
			}
			return (decision == Decision.FAILED) ? failed(response)
					: respond(response, decision.status(), decision.headers(), decision.body());
		});
	}

	private Mono<Void> onError(OtpErlangMap request, Throwable error, ServerHttpResponse response) {
		if (response.isCommitted()) {
			logger.warn("Erlang hook on-error ({}) not called: the response was already committed", this.hooks.onError());
			return Mono.error(error);
		}
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("class", HookTerms.binary(error.getClass().getName()));
		fields.put("message", HookTerms.binary((error.getMessage() != null) ? error.getMessage() : ""));
		return call(this.hooks.onError(), request, HookTerms.map(fields)).map((result) -> {
			if (SpringBridge.isAtom(result, "continue")) {
				return Decision.PROCEED;
			}
			if (result instanceof OtpErlangTuple answer && answer.arity() == 2) {
				return new Decision(HookTerms.status(answer.elementAt(0)), List.of(), HookTerms.body(answer.elementAt(1)));
			}
			throw new HookFailure("expected {Status, Body} or continue, got " + BoundedTerms.describe(result));
		}).onErrorResume(this::isHookFailure, (failure) -> {
			logFailure("on-error", this.hooks.onError(), failure);
			return Mono.just((this.failureMode == HookFailureMode.OPEN) ? Decision.PROCEED : Decision.FAILED);
		}).flatMap((decision) -> {
			if (decision == Decision.PROCEED) {
				return Mono.<Void>error(error);
			}
			return (decision == Decision.FAILED) ? failed(response)
					: respond(response, decision.status(), List.of(), decision.body());
		});
	}

	private Mono<Void> afterResponse(OtpErlangMap request, ServerHttpResponse response) {
		List<Header> headers = new ArrayList<>();
		response.getHeaders().forEach((name, values) -> values.forEach((value) -> headers.add(new Header(name, value))));
		HttpStatusCode status = response.getStatusCode();
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("status", new OtpErlangLong((status != null) ? status.value() : 200));
		fields.put("headers", HookTerms.headers(headers));
		return call(this.hooks.onResponse(), request, HookTerms.map(fields)).flatMap((result) -> {
			if (SpringBridge.isAtom(result, "continue")) {
				return Mono.<Void>empty();
			}
			if (result instanceof OtpErlangTuple change && change.arity() == 2) {
				response.setStatusCode(HttpStatusCode.valueOf(HookTerms.status(change.elementAt(0))));
				HookTerms.readHeaders(change.elementAt(1))
					.forEach((header) -> response.getHeaders().set(header.name(), header.value()));
				return Mono.<Void>empty();
			}
			return Mono.<Void>error(new HookFailure("expected continue or {Status, Headers}, got " + BoundedTerms.describe(result)));
		}).onErrorResume(this::isHookFailure, (failure) -> {
			logFailure("on-response", this.hooks.onResponse(), failure);
			if (this.failureMode == HookFailureMode.CLOSED) {
				response.setStatusCode(HttpStatusCode.valueOf(this.failureStatus));
			}
			return Mono.empty();
		});
	}

	/** One hook call, as an asynchronous {@code spring_bridge:call(Name, Args)}; failures become HookFailure. */
	private Mono<OtpErlangObject> call(String function, OtpErlangObject... args) {
		return Mono
			.defer(() -> Mono.fromFuture(this.node.rpc(this.erlangNode, SpringBridge.MODULE, "call",
					SpringBridge.callArguments(function, args), this.timeout)))
			// Starting the call may connect or write to a peer that stopped reading: never on an
			// event loop.
			.subscribeOn(Schedulers.boundedElastic())
			// the call times out by itself; the margin only guards against a lost reply
			.timeout(this.timeout.plusMillis(500))
			.onErrorMap((error) -> !(error instanceof HookFailure), (error) -> {
				Throwable cause = (error instanceof ErlangRemoteException remote)
						? SpringBridge.translate(remote, this.erlangNode, function) : error;
				return new HookFailure(String.valueOf(cause.getMessage()), cause);
			});
	}

	private boolean isHookFailure(Throwable error) {
		return error instanceof HookFailure || error instanceof IllegalArgumentException;
	}

	private void logFailure(String hook, String function, Throwable failure) {
		logger.warn("Erlang hook {} ({} on {}) failed, failing {}: {}", hook, function, this.erlangNode,
				(this.failureMode == HookFailureMode.OPEN) ? "open" : "closed with " + this.failureStatus,
				failure.getMessage());
	}

	private Mono<Void> failed(ServerHttpResponse response) {
		if (!response.isCommitted()) {
			response.setStatusCode(HttpStatusCode.valueOf(this.failureStatus));
			response.getHeaders().setContentLength(0);
		}
		return response.setComplete();
	}

	private static Mono<Void> respond(ServerHttpResponse response, int status, List<Header> headers, byte[] body) {
		response.setStatusCode(HttpStatusCode.valueOf(status));
		boolean typed = false;
		for (Header header : headers) {
			response.getHeaders().add(header.name(), header.value());
			typed |= header.name().equalsIgnoreCase("content-type");
		}
		if (!typed && body.length > 0) {
			response.getHeaders().setContentType(new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8));
		}
		response.getHeaders().setContentLength(body.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private static OtpErlangMap requestTerm(ServerHttpRequest request, java.util.Set<String> withheld) {
		List<Header> headers = new ArrayList<>();
		request.getHeaders().forEach((name, values) -> {
			if (!HookTerms.isWithheld(name, withheld)) {
				values.forEach((value) -> headers.add(new Header(name, value)));
			}
		});
		InetSocketAddress remote = request.getRemoteAddress();
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("method", HookTerms.binary(request.getMethod().name()));
		fields.put("path", HookTerms.binary(request.getURI().getRawPath()));
		fields.put("query", (request.getURI().getRawQuery() != null) ? HookTerms.binary(request.getURI().getRawQuery())
				: HookTerms.UNDEFINED);
		fields.put("headers", HookTerms.headers(headers));
		fields.put("peer", (remote != null && remote.getAddress() != null)
				? HookTerms.binary(remote.getAddress().getHostAddress()) : HookTerms.UNDEFINED);
		return HookTerms.map(fields);
	}

	/** What a hook decided: go on, answer with this response, or fail closed. */
	private record Decision(int status, List<Header> headers, byte[] body) {

		static final Decision PROCEED = new Decision(0, List.of(), new byte[0]);

		static final Decision FAILED = new Decision(-1, List.of(), new byte[0]);

	}

	private static final class HookFailure extends RuntimeException {

		HookFailure(String message) {
			super(message);
		}

		HookFailure(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
