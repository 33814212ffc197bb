package io.github.erlangspring.web;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import com.ericsson.otp.erlang.OtpErlangMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.web.HookTerms.Header;

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
 * protocol ({@link ErlangHooks}), functions, arguments, answers and failure modes, called without
 * blocking a thread (each hook is an asynchronous {@code erpc} call with the configured timeout).
 * <p>
 * {@code on_response} runs just before the response commits. In {@code CLOSED} mode a failing
 * {@code on_response} sets the failure status; a body the application already produced is still
 * written.
 */
public class ErlangHookWebFilter implements WebFilter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(ErlangHookWebFilter.class);

	private final ErlangHooks hooks;

	private int order = Ordered.HIGHEST_PRECEDENCE + 10;

	/**
	 * @param node this node
	 * @param erlangNode the node the hooks are registered on
	 * @param hooks the registered names of the hooks
	 * @param timeout how long one hook call may take
	 * @param failureMode what to do when a hook fails
	 * @param failureStatus the status answered when a hook fails in {@link HookFailureMode#CLOSED} mode
	 */
	public ErlangHookWebFilter(ErlangNode node, String erlangNode, Hooks hooks, Duration timeout,
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
	 * every header. Default: the credentials, Authorization, Cookie and Proxy-Authorization.
	 */
	public void setWithheldHeaders(Collection<String> names) {
		this.hooks.setWithheldHeaders(names);
	}

	/** @return the hooks called */
	public Hooks getHooks() {
		return this.hooks.hooks();
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
		OtpErlangMap request = requestTerm(exchange.getRequest());
		ServerHttpResponse response = exchange.getResponse();
		if (getHooks().onResponse() != null) {
			response.beforeCommit(() -> afterResponse(request, response));
		}
		Mono<Void> application = Mono.defer(() -> chain.filter(exchange));
		if (getHooks().onError() != null) {
			application = application.onErrorResume((error) -> onError(request, error, response));
		}
		if (getHooks().onRequest() == null) {
			return application;
		}
		Mono<Void> proceed = application;
		// The hook's answer is decided first, so that only its failures, not the application's,
		// go through the failure mode.
		return decide(() -> this.hooks.onRequest(request)).flatMap((decision) -> {
			if (decision instanceof HookDecision.Respond respond) {
				return respond(response, respond.status(), respond.headers(), respond.body());
			}
			return (decision instanceof HookDecision.Fail fail) ? failed(response, fail.status()) : proceed;
		});
	}

	private Mono<Void> onError(OtpErlangMap request, Throwable error, ServerHttpResponse response) {
		if (response.isCommitted()) {
			logger.warn("Erlang hook on-error ({}) not called: the response was already committed", getHooks().onError());
			return Mono.error(error);
		}
		return decide(() -> this.hooks.onError(request, error)).flatMap((decision) -> {
			if (decision instanceof HookDecision.Respond respond) {
				return respond(response, respond.status(), respond.headers(), respond.body());
			}
			return (decision instanceof HookDecision.Fail fail) ? failed(response, fail.status())
					: Mono.<Void>error(error);
		});
	}

	private Mono<Void> afterResponse(OtpErlangMap request, ServerHttpResponse response) {
		List<Header> headers = new ArrayList<>();
		response.getHeaders().forEach((name, values) -> values.forEach((value) -> headers.add(new Header(name, value))));
		HttpStatusCode status = response.getStatusCode();
		return decide(() -> this.hooks.onResponse(request, (status != null) ? status.value() : 200, headers))
			.doOnNext((decision) -> {
				if (decision instanceof HookDecision.Amend amend) {
					response.setStatusCode(HttpStatusCode.valueOf(amend.status()));
					amend.headers().forEach((header) -> response.getHeaders().set(header.name(), header.value()));
				}
				else if (decision instanceof HookDecision.Fail fail) {
					response.setStatusCode(HttpStatusCode.valueOf(fail.status()));
				}
			})
			.then();
	}

	/**
	 * One hook decision. Starting the call may connect or write to a peer that stopped reading:
	 * never on an event loop.
	 */
	private static Mono<HookDecision> decide(Supplier<CompletableFuture<HookDecision>> hook) {
		return Mono.fromFuture(hook).subscribeOn(Schedulers.boundedElastic());
	}

	private static Mono<Void> failed(ServerHttpResponse response, int status) {
		if (!response.isCommitted()) {
			response.setStatusCode(HttpStatusCode.valueOf(status));
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
			response.getHeaders().setContentType(new MediaType("text", "plain", StandardCharsets.UTF_8));
		}
		response.getHeaders().setContentLength(body.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
	}

	private OtpErlangMap requestTerm(ServerHttpRequest request) {
		List<Header> headers = new ArrayList<>();
		request.getHeaders().forEach((name, values) -> values.forEach((value) -> headers.add(new Header(name, value))));
		InetSocketAddress remote = request.getRemoteAddress();
		return this.hooks.request(request.getMethod().name(), request.getURI().getRawPath(),
				request.getURI().getRawQuery(), headers,
				(remote != null && remote.getAddress() != null) ? remote.getAddress().getHostAddress() : null);
	}

}
