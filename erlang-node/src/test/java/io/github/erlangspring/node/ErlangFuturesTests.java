package io.github.erlangspring.node;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import com.ericsson.otp.erlang.OtpErlangAtom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The one await-and-translate helper: results pass, Erlang failures keep their type and say
 * where they were awaited, anything else is wrapped, a lost reply becomes a timeout.
 */
class ErlangFuturesTests {

	private static final Duration TIMEOUT = Duration.ofMillis(50);

	@Test
	void returnsTheResult() {
		assertThat(ErlangFutures.await(CompletableFuture.completedFuture("ok"), TIMEOUT, "a call")).isEqualTo("ok");
	}

	@Test
	void anErlangFailureIsThrownAsItIsAndSaysWhereItWasAwaited() {
		ErlangRemoteException remote = new ErlangRemoteException(ErlangClass.ERROR, new OtpErlangAtom("badarg"), null);
		ErlangRemoteException thrown = catchThrowableOfType(ErlangRemoteException.class,
				() -> ErlangFutures.await(CompletableFuture.failedFuture(remote), TIMEOUT, "rpc of m:f/0"));
		assertThat(thrown).isSameAs(remote);
		assertThat(thrown.getSuppressed()).extracting(Throwable::getMessage).containsExactly("awaited: rpc of m:f/0");
	}

	@Test
	void anyOtherFailureIsWrappedWithItsCause() {
		IOException cause = new IOException("gone");
		ErlangException thrown = catchThrowableOfType(ErlangException.class,
				() -> ErlangFutures.await(CompletableFuture.failedFuture(cause), TIMEOUT, "a call"));
		assertThat(thrown).hasCause(cause).hasMessageContaining("a call failed");
	}

	@Test
	void aFutureThatNeverCompletesTimesOutAfterTheMarginAndIsCancelled() {
		CompletableFuture<Object> lost = new CompletableFuture<>();
		assertThatExceptionOfType(ErlangTimeoutException.class)
			.isThrownBy(() -> ErlangFutures.await(lost, TIMEOUT.minus(ErlangFutures.MARGIN), "call to p"))
			.withMessageContaining("call to p");
		assertThat(lost).isCancelled();
	}

	@Test
	void anInterruptedWaitKeepsTheInterrupt() {
		Thread.currentThread().interrupt();
		try {
			assertThatExceptionOfType(ErlangException.class)
				.isThrownBy(() -> ErlangFutures.await(new CompletableFuture<>(), TIMEOUT, "a call"))
				.withMessageContaining("interrupted");
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
		}
		finally {
			Thread.interrupted();
		}
	}

	@Test
	void aTranslatorDecidesWhatIsThrown() {
		IllegalStateException thrown = catchThrowableOfType(IllegalStateException.class,
				() -> ErlangFutures.await(CompletableFuture.failedFuture(new IOException("refused")), TIMEOUT, "connecting",
						(failure, what) -> new IllegalStateException(what + ": " + failure.getMessage())));
		assertThat(thrown).hasMessage("connecting: refused");
	}

}
