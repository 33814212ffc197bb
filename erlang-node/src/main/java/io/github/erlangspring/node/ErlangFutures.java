package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

import io.github.erlangspring.node.dist.DistConnection;

/**
 * Waits for the futures of a node ({@link ErlangNode#rpc}, {@link ErlangNode#call}...) and
 * turns their failures into {@link ErlangException}s: the one place where blocking callers
 * await and translate.
 * <p>
 * The calls of a node time out by themselves; {@link #await} waits {@link #MARGIN} longer, so
 * that a caller cannot hang on a reply that was lost, and then gives up with an
 * {@link ErlangTimeoutException}.
 */
public final class ErlangFutures {

	/** How much longer than a call's own timeout a caller waits. */
	public static final Duration MARGIN = Duration.ofSeconds(1);

	private ErlangFutures() {
	}

	/**
	 * Waits for a call that times out by itself after {@code timeout}; failures go through
	 * {@link #translate}.
	 * @param <T> the result type
	 * @param future the call
	 * @param timeout the call's own timeout
	 * @param what the call, in words, for messages: {@code "rpc to a@host of m:f/1"}
	 * @return its result
	 * @throws ErlangException when it failed, timed out or the wait was interrupted
	 */
	public static <T> T await(CompletableFuture<T> future, Duration timeout, String what) {
		return await(future, timeout, what, ErlangFutures::translate);
	}

	/**
	 * Waits for a call that times out by itself after {@code timeout}, and translates its
	 * failure with {@code translator}: the cause of a failed future, an
	 * {@link ErlangTimeoutException} when it did not complete in time (the future is then
	 * cancelled), or an {@link ErlangException} when the wait was interrupted (the thread keeps
	 * its interrupt).
	 * @param <T> the result type
	 * @param future the call
	 * @param timeout the call's own timeout
	 * @param what the call, in words, for messages
	 * @param translator turns a failure and {@code what} into the exception to throw
	 * @return its result
	 */
	public static <T> T await(CompletableFuture<T> future, Duration timeout, String what,
			BiFunction<Throwable, String, ? extends RuntimeException> translator) {
		try {
			if (!future.isDone()) {
				DistConnection.beforeBlocking();
			}
			return future.get(timeout.plus(MARGIN).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | CompletionException ex) {
			throw translator.apply((ex.getCause() != null) ? ex.getCause() : ex, what);
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			throw translator.apply(new ErlangTimeoutException(what + ": no answer within " + timeout), what);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw translator.apply(new ErlangException("interrupted while waiting for " + what, ex), what);
		}
	}

	/**
	 * The exception a failed call throws: an {@link ErlangException} itself, with a suppressed
	 * exception that records where it was awaited; anything else wrapped in one.
	 * @param failure why the call failed
	 * @param what the call, in words
	 * @return the exception to throw
	 */
	public static ErlangException translate(Throwable failure, String what) {
		if (failure instanceof CompletionException && failure.getCause() != null) {
			failure = failure.getCause();
		}
		if (failure instanceof ErlangException erlang) {
			erlang.addSuppressed(new ErlangException("awaited: " + what));
			return erlang;
		}
		return new ErlangException(what + " failed: " + failure, failure);
	}

}
