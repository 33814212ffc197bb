package io.github.erlangspring.web;

/**
 * What a request does when an Erlang hook fails, times out, or returns something unexpected.
 */
public enum HookFailureMode {

	/** Carry on as if the hook were not configured. */
	OPEN,

	/** Answer the request with the configured failure status instead. */
	CLOSED

}
