package io.github.erlangspring.web;

import java.util.List;

import io.github.erlangspring.web.HookTerms.Header;

/**
 * What a web hook decided, with its failure mode applied: what an HTTP adapter does next.
 */
sealed interface HookDecision {

	/** Go on as if there were no hook: run the application, keep its response, or let its exception go on. */
	HookDecision CONTINUE = new Continue();

	/** Go on. */
	record Continue() implements HookDecision {
	}

	/**
	 * Answer the request with this response instead of the application's.
	 * @param status the status
	 * @param headers headers to add
	 * @param body the body
	 */
	record Respond(int status, List<Header> headers, byte[] body) implements HookDecision {
	}

	/**
	 * Keep the application's response, with this status and these headers set (replaced).
	 * @param status the status
	 * @param headers the headers
	 */
	record Amend(int status, List<Header> headers) implements HookDecision {
	}

	/**
	 * The hook failed and fails closed: answer with this status and no body.
	 * @param status the failure status
	 */
	record Fail(int status) implements HookDecision {
	}

}
