package io.github.erlangspring.web;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangMap;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.web.HookTerms.Header;

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
 * <p>
 * The protocol itself is {@link ErlangHooks}, shared with {@link ErlangHookWebFilter}; this
 * class adapts it to servlet requests and responses.
 */
public class ErlangHookFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(ErlangHookFilter.class);

	private final ErlangHooks hooks;

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
		this.hooks = new ErlangHooks(node, erlangNode, hooks, timeout, failureMode, failureStatus);
	}

	/**
	 * @param observations observes each hook call as a call of the registered function, which
	 * then gets the request's trace context ({@code spring_bridge:trace_context()})
	 */
	public void setObservations(ErlangObservations observations) {
		this.hooks.setObservations(observations);
	}

	/**
	 * @param names request headers not sent to the hooks (compared ignoring case); empty sends
	 * every header. Default: {@link #DEFAULT_WITHHELD_HEADERS}.
	 */
	public void setWithheldHeaders(Collection<String> names) {
		this.hooks.setWithheldHeaders(names);
	}

	/** @return the hooks called */
	public Hooks getHooks() {
		return this.hooks.hooks();
	}

	/** @return the node the hooks are registered on */
	public String getErlangNode() {
		return this.hooks.erlangNode();
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		// on_response runs when asynchronous processing has finished
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		OtpErlangMap requestTerm = requestTerm(request);
		if (getHooks().onRequest() != null && !isAsyncDispatch(request) && !beforeRequest(requestTerm, response)) {
			return;
		}
		HookResponse hooked = null;
		HttpServletResponse target = response;
		if (getHooks().onResponse() != null) {
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
			if (getHooks().onError() == null || !onError(requestTerm, ex, target)) {
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
		HookDecision decision = this.hooks.onRequest(requestTerm).join();
		if (decision instanceof HookDecision.Respond respond) {
			respond(response, respond.status(), respond.headers(), respond.body());
			return false;
		}
		if (decision instanceof HookDecision.Fail fail) {
			failed(response, fail.status());
			return false;
		}
		return true;
	}

	/** @return whether the hook answered the request (otherwise the exception goes on) */
	private boolean onError(OtpErlangMap requestTerm, Exception ex, HttpServletResponse response) throws IOException {
		if (response.isCommitted()) {
			logger.warn("Erlang hook on-error ({}) not called: the response was already committed", getHooks().onError());
			return false;
		}
		Throwable error = (ex instanceof ServletException && ex.getCause() != null) ? ex.getCause() : ex;
		HookDecision decision = this.hooks.onError(requestTerm, error).join();
		if (decision instanceof HookDecision.Respond respond) {
			response.reset();
			respond(response, respond.status(), respond.headers(), respond.body());
			return true;
		}
		if (decision instanceof HookDecision.Fail fail) {
			response.reset();
			failed(response, fail.status());
			return true;
		}
		return false;
	}

	private void afterResponse(OtpErlangMap requestTerm, HookResponse response) {
		List<Header> headers = new ArrayList<>();
		for (String name : response.getHeaderNames()) {
			for (String value : response.getHeaders(name)) {
				headers.add(new Header(name, value));
			}
		}
		HookDecision decision = this.hooks.onResponse(requestTerm, response.getStatus(), headers).join();
		if (decision instanceof HookDecision.Amend amend) {
			response.setStatus(amend.status());
			amend.headers().forEach((header) -> response.setHeader(header.name(), header.value()));
		}
		else if (decision instanceof HookDecision.Fail fail && !response.isCommitted()) {
			response.reset();
			failed(response, fail.status());
			response.discard();
		}
	}

	private static void failed(HttpServletResponse response, int status) {
		if (!response.isCommitted()) {
			response.setStatus(status);
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

	private OtpErlangMap requestTerm(HttpServletRequest request) {
		List<Header> headers = new ArrayList<>();
		for (String name : Collections.list(request.getHeaderNames())) {
			for (String value : Collections.list(request.getHeaders(name))) {
				headers.add(new Header(name, value));
			}
		}
		return this.hooks.request(request.getMethod(), request.getRequestURI(), request.getQueryString(), headers,
				request.getRemoteAddr());
	}

}
