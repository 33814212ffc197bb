package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.erlangspring.web.HookFailureMode;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Web hooks: Erlang functions registered with spring_bridge, called around each HTTP request of
 * a servlet web application ({@code erlang.hooks.*}).
 */
@ConfigurationProperties("erlang.hooks")
public class ErlangHooksProperties {

	/**
	 * Registered function called before the application with the request; returns continue or
	 * {respond, Status, Headers, Body}.
	 */
	private String onRequest;

	/**
	 * Registered function called when the application's response is about to commit, with the
	 * request and the status and headers; returns continue or {Status, Headers}.
	 */
	private String onResponse;

	/**
	 * Registered function called when the application throws, with the request and the exception
	 * class and message; returns {Status, Body} or continue.
	 */
	private String onError;

	/**
	 * Erlang node the hook functions are registered on. Default: erlang.default-peer.
	 */
	private String node;

	/**
	 * Time allowed for each hook call; a slower hook counts as failed.
	 */
	private Duration timeout = Duration.ofSeconds(2);

	/**
	 * What a request does when a hook fails, times out or answers something unexpected: "open"
	 * goes on as if the hook were not set, "closed" answers with erlang.hooks.failure-status.
	 */
	private HookFailureMode failureMode = HookFailureMode.OPEN;

	/**
	 * Request headers not sent to the hooks (names, ignoring case); empty sends every header.
	 * Default: the credentials, Authorization, Cookie and Proxy-Authorization.
	 */
	private List<String> withheldHeaders = new ArrayList<>(List.of("Authorization", "Cookie", "Proxy-Authorization"));

	/**
	 * Status answered when a hook fails in "closed" mode.
	 */
	private int failureStatus = 503;

	/**
	 * URL patterns of the requests the hooks see.
	 */
	private List<String> urlPatterns = new ArrayList<>(List.of("/*"));

	/**
	 * Order of the hook filter among the servlet filters (or WebFlux web filters); lower runs
	 * earlier (Spring Security's servlet filter chain is at -100).
	 */
	private int order = 0;

	public String getOnRequest() {
		return this.onRequest;
	}

	public void setOnRequest(String onRequest) {
		this.onRequest = onRequest;
	}

	public String getOnResponse() {
		return this.onResponse;
	}

	public void setOnResponse(String onResponse) {
		this.onResponse = onResponse;
	}

	public String getOnError() {
		return this.onError;
	}

	public void setOnError(String onError) {
		this.onError = onError;
	}

	public String getNode() {
		return this.node;
	}

	public void setNode(String node) {
		this.node = node;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	public HookFailureMode getFailureMode() {
		return this.failureMode;
	}

	public void setFailureMode(HookFailureMode failureMode) {
		this.failureMode = failureMode;
	}

	public List<String> getWithheldHeaders() {
		return this.withheldHeaders;
	}

	public void setWithheldHeaders(List<String> withheldHeaders) {
		this.withheldHeaders = withheldHeaders;
	}

	public int getFailureStatus() {
		return this.failureStatus;
	}

	public void setFailureStatus(int failureStatus) {
		this.failureStatus = failureStatus;
	}

	public List<String> getUrlPatterns() {
		return this.urlPatterns;
	}

	public void setUrlPatterns(List<String> urlPatterns) {
		this.urlPatterns = urlPatterns;
	}

	public int getOrder() {
		return this.order;
	}

	public void setOrder(int order) {
		this.order = order;
	}

}
