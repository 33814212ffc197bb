package io.github.erlangspring.handler;

/**
 * Decides what happens when a handler or RPC method throws. The default rethrows: a call's
 * caller gets an Erlang error naming the Java exception, a cast or message is logged. Declare a
 * bean of this type to change that, e.g. to turn some exceptions into ordinary replies.
 */
@FunctionalInterface
public interface ErlangErrorHandler {

	/** Rethrows every error. */
	ErlangErrorHandler RETHROW = (invocation, error) -> {
		throw error;
	};

	/**
	 * @param invocation what was being handled
	 * @param error what the method threw
	 * @return the reply (for calls) or result (for RPC) to use instead
	 * @throws Exception to fail the call (a cast or message: to log the error)
	 */
	Object handleError(ErlangInvocation invocation, Exception error) throws Exception;

}
