package io.github.erlangspring.bridge;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.bridge.HookTerms.Header;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.dist.BoundedTerms;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.WebUtils;

/**
 * Calls functions registered with {@code spring_bridge} on an Erlang node around each HTTP
 * request ({@code spring_bridge:call(Name, Args)}, with a timeout):
 * <ul>
 * <li><b>on_request</b>{@code (Request)} before the application: returns {@code continue}, or
 * {@code {respond, Status, Headers, Body}} to answer the request itself (the application is not
 * called).</li>
 * <li><b>on_response</b>{@code (Request, #{status := Status, headers := Headers})} when the
 * application's response is about to be committed (just before the first byte of its body, or at
 * its end when it has none): returns {@code continue}, or {@code {Status, Headers}} to set the
 * status and set (replace) those headers. Nothing is buffered, so streamed responses stay
 * streamed.</li>
 * <li><b>on_error</b>{@code (Request, #{class := Class, message := Message})} when the
 * application throws: returns {@code {Status, Body}} to answer with, or {@code continue} to let
 * the exception go on.</li>
 * </ul>
 * {@code Request} is {@code #{method := <<"GET">>, path := <<"/a/b">>, query := <<"x=1">> |
 * undefined, headers := [{<<"name">>, <<"value">>}], peer := <<"10.0.0.1">>}} (header names in
 * lower case, the path as sent, without decoding). Headers in answers are a list of
 * {@code {Name, Value}} or a map; a body is a binary or a string.
 * <p>
 * A hook that raises, times out, cannot be reached or answers anything else is logged, and the
 * request goes on according to the {@link HookFailureMode}: {@code OPEN} as if the hook were not
 * configured, {@code CLOSED} answering with the failure status.
 */
public class ErlangHookFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(ErlangHookFilter.class);

	private final ErlangNode node;

	private final String erlangNode;

	private final Hooks hooks;

	private final Duration timeout;

	private final HookFailureMode failureMode;

	private final int failureStatus;

	private java.util.Set<String> withheldHeaders = HookTerms.lowerCase(HookTerms.DEFAULT_WITHHELD_HEADERS);

	/** Request headers not sent to hooks unless configured otherwise: credentials. */
	public static final List<String> DEFAULT_WITHHELD_HEADERS = HookTerms.DEFAULT_WITHHELD_HEADERS;

	/**
	 * @param node this node
	 * @param erlangNode the node the hooks are registered on
	 * @param hooks the registered names of the hooks
	 * @param timeout how long one hook call may take
	 * @param failureMode what to do when a hook fails
	 * @param failureStatus the status answered when a hook fails in {@link HookFailureMode#CLOSED} mode
	 */
	public ErlangHookFilter(ErlangNode node, String erlangNode, Hooks hooks, Duration timeout,
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
	 * every header. Default: {@link #DEFAULT_WITHHELD_HEADERS}.
	 */
	public void setWithheldHeaders(java.util.Collection<String> names) {
		this.withheldHeaders = HookTerms.lowerCase(names);
	}

	/** @return the hooks called */
	public Hooks getHooks() {
		return this.hooks;
	}

	/** @return the node the hooks are registered on */
	public String getErlangNode() {
		return this.erlangNode;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		// on_response runs when asynchronous processing has finished
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		OtpErlangMap requestTerm = requestTerm(request, this.withheldHeaders);
		if (this.hooks.onRequest() != null && !isAsyncDispatch(request) && !beforeRequest(requestTerm, response)) {
			return;
		}
		HookResponse hooked = null;
		HttpServletResponse target = response;
		if (this.hooks.onResponse() != null) {
			// an asynchronous dispatch carries the wrapper of the first one
			hooked = WebUtils.getNativeResponse(response, HookResponse.class);
			if (hooked == null) {
				HookResponse[] self = new HookResponse[1];
				hooked = new HookResponse(response, () -> afterResponse(requestTerm, self[0]));
				self[0] = hooked;
			}
			target = hooked;
		}
		try {
			chain.doFilter(request, target);
		}
		catch (ServletException | IOException | RuntimeException ex) {
			if (this.hooks.onError() == null || !onError(requestTerm, ex, target)) {
				throw ex;
			}
		}
		if (hooked != null && !isAsyncStarted(request)) {
			// a response without a body: nothing triggered the hook yet
			hooked.beforeCommit();
		}
	}

	/** @return whether the application should handle the request */
	private boolean beforeRequest(OtpErlangMap requestTerm, HttpServletResponse response) throws IOException {
		try {
			OtpErlangObject result = callHook(this.hooks.onRequest(), requestTerm);
			if (SpringBridge.isAtom(result, "continue")) {
				return true;
			}
			if (result instanceof OtpErlangTuple respond && respond.arity() == 4
					&& SpringBridge.isAtom(respond.elementAt(0), "respond")) {
				respond(response, HookTerms.status(respond.elementAt(1)), HookTerms.readHeaders(respond.elementAt(2)),
						HookTerms.body(respond.elementAt(3)));
				return false;
			}
			throw new HookFailure("expected continue or {respond, Status, Headers, Body}, got " + BoundedTerms.describe(result));
		}
		catch (HookFailure | IllegalArgumentException ex) {
			logFailure("on-request", this.hooks.onRequest(), ex);
			if (this.failureMode == HookFailureMode.OPEN) {
				return true;
			}
			failed(response);
			return false;
		}
	}

	/** @return whether the hook answered the request (otherwise the exception goes on) */
	private boolean onError(OtpErlangMap requestTerm, Exception ex, HttpServletResponse response) throws IOException {
		if (response.isCommitted()) {
			logger.warn("Erlang hook on-error ({}) not called: the response was already committed", this.hooks.onError());
			return false;
		}
		Throwable error = (ex instanceof ServletException && ex.getCause() != null) ? ex.getCause() : ex;
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("class", HookTerms.binary(error.getClass().getName()));
		fields.put("message", HookTerms.binary((error.getMessage() != null) ? error.getMessage() : ""));
		try {
			OtpErlangObject result = callHook(this.hooks.onError(), requestTerm, HookTerms.map(fields));
			if (SpringBridge.isAtom(result, "continue")) {
				return false;
			}
			if (result instanceof OtpErlangTuple answer && answer.arity() == 2) {
				int status = HookTerms.status(answer.elementAt(0));
				byte[] body = HookTerms.body(answer.elementAt(1));
				response.reset();
				respond(response, status, List.of(), body);
				return true;
			}
			throw new HookFailure("expected {Status, Body} or continue, got " + BoundedTerms.describe(result));
		}
		catch (HookFailure | IllegalArgumentException failure) {
			logFailure("on-error", this.hooks.onError(), failure);
			if (this.failureMode == HookFailureMode.OPEN) {
				return false;
			}
			response.reset();
			failed(response);
			return true;
		}
	}

	private void afterResponse(OtpErlangMap requestTerm, HookResponse response) {
		List<Header> headers = new ArrayList<>();
		for (String name : response.getHeaderNames()) {
			for (String value : response.getHeaders(name)) {
				headers.add(new Header(name, value));
			}
		}
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("status", new OtpErlangLong(response.getStatus()));
		fields.put("headers", HookTerms.headers(headers));
		try {
			OtpErlangObject result = callHook(this.hooks.onResponse(), requestTerm, HookTerms.map(fields));
			if (SpringBridge.isAtom(result, "continue")) {
				return;
			}
			if (result instanceof OtpErlangTuple change && change.arity() == 2) {
				int status = HookTerms.status(change.elementAt(0));
				List<Header> changed = HookTerms.readHeaders(change.elementAt(1));
				response.setStatus(status);
				changed.forEach((header) -> response.setHeader(header.name(), header.value()));
				return;
			}
			throw new HookFailure("expected continue or {Status, Headers}, got " + BoundedTerms.describe(result));
		}
		catch (HookFailure | IllegalArgumentException failure) {
			logFailure("on-response", this.hooks.onResponse(), failure);
			if (this.failureMode == HookFailureMode.CLOSED && !response.isCommitted()) {
				response.reset();
				failed(response);
				response.discard();
			}
		}
	}

	private OtpErlangObject callHook(String function, OtpErlangObject... args) throws HookFailure {
		CompletableFuture<OtpErlangObject> call;
		try {
			call = this.node.rpc(this.erlangNode, SpringBridge.MODULE, "call", SpringBridge.callArguments(function, args),
					this.timeout);
		}
		catch (RuntimeException ex) {
			throw new HookFailure(ex.getMessage(), ex);
		}
		try {
			// the call times out by itself; the margin only guards against a lost reply
			return call.get(this.timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof ErlangRemoteException remote) {
				cause = SpringBridge.translate(remote, this.erlangNode, function);
			}
			throw new HookFailure(cause.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			call.cancel(false);
			throw new HookFailure("no answer within " + this.timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HookFailure("interrupted", ex);
		}
	}

	private void logFailure(String hook, String function, Exception failure) {
		logger.warn("Erlang hook {} ({} on {}) failed, failing {}: {}", hook, function, this.erlangNode,
				(this.failureMode == HookFailureMode.OPEN) ? "open" : "closed with " + this.failureStatus,
				failure.getMessage());
		logger.debug("Erlang hook {} failure", hook, failure);
	}

	private void failed(HttpServletResponse response) {
		if (!response.isCommitted()) {
			response.setStatus(this.failureStatus);
			response.setContentLength(0);
		}
	}

	private static void respond(HttpServletResponse response, int status, List<Header> headers, byte[] body)
			throws IOException {
		response.setStatus(status);
		boolean typed = false;
		for (Header header : headers) {
			response.addHeader(header.name(), header.value());
			typed |= header.name().equalsIgnoreCase("content-type");
		}
		if (!typed && body.length > 0) {
			response.setContentType("text/plain;charset=UTF-8");
		}
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	private static OtpErlangMap requestTerm(HttpServletRequest request, java.util.Set<String> withheld) {
		List<Header> headers = new ArrayList<>();
		for (String name : Collections.list(request.getHeaderNames())) {
			if (HookTerms.isWithheld(name, withheld)) {
				continue;
			}
			for (String value : Collections.list(request.getHeaders(name))) {
				headers.add(new Header(name, value));
			}
		}
		Map<String, OtpErlangObject> fields = new LinkedHashMap<>();
		fields.put("method", HookTerms.binary(request.getMethod()));
		fields.put("path", HookTerms.binary(request.getRequestURI()));
		fields.put("query", (request.getQueryString() != null) ? HookTerms.binary(request.getQueryString())
				: HookTerms.UNDEFINED);
		fields.put("headers", HookTerms.headers(headers));
		fields.put("peer", HookTerms.binary(request.getRemoteAddr()));
		return HookTerms.map(fields);
	}

	/**
	 * The registered names of the hooks; {@code null} or blank: no such hook.
	 *
	 * @param onRequest called before the application
	 * @param onResponse called after it
	 * @param onError called when it throws
	 */
	public record Hooks(String onRequest, String onResponse, String onError) {

		public Hooks {
			onRequest = blankToNull(onRequest);
			onResponse = blankToNull(onResponse);
			onError = blankToNull(onError);
		}

		/** @return whether no hook is configured */
		public boolean isEmpty() {
			return this.onRequest == null && this.onResponse == null && this.onError == null;
		}

		private static String blankToNull(String name) {
			return (name == null || name.isBlank()) ? null : name.strip();
		}

	}

	private static final class HookFailure extends Exception {

		HookFailure(String message) {
			super(message);
		}

		HookFailure(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
