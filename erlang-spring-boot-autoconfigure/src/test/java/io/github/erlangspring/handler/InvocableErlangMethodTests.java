package io.github.erlangspring.handler;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The one reflective path of RPC, process and subscriber methods: what the method throws comes
 * out unwrapped, and the error handler decides the result of a failed invocation.
 */
class InvocableErlangMethodTests {

	private final Target target = new Target();

	private InvocableErlangMethod method(String name, Class<?>... types) throws Exception {
		return new InvocableErlangMethod(this.target, Target.class.getDeclaredMethod(name, types));
	}

	@Test
	void returnsWhatTheMethodReturns() throws Exception {
		assertThat(method("twice", long.class).invoke(21L)).isEqualTo(42L);
		assertThat(method("nothing").isVoid()).isTrue();
	}

	@Test
	void anExceptionComesOutUnwrapped() throws Exception {
		InvocableErlangMethod failing = method("failing");
		assertThatExceptionOfType(IOException.class).isThrownBy(failing::invoke).withMessage("checked");
	}

	@Test
	void anErrorComesOutAsItIs() throws Exception {
		InvocableErlangMethod crashing = method("crashing");
		assertThatExceptionOfType(AssertionError.class).isThrownBy(crashing::invoke).withMessage("crash");
	}

	@Test
	void theErrorHandlerDecidesTheResultOfAFailure() throws Exception {
		ErlangInvocation invocation = new ErlangInvocation("m:f/0", ErlangInvocation.Kind.RPC, null, null);
		ErlangErrorHandler recover = (what, error) -> what.target() + " failed: " + error.getMessage();
		assertThat(method("failing").invoke(recover, invocation)).isEqualTo("m:f/0 failed: checked");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> method("failing").invoke(ErlangErrorHandler.RETHROW, invocation));
		assertThat(method("twice", long.class).invoke(recover, invocation, 2L)).isEqualTo(4L);
	}

	static class Target {

		private long twice(long value) {
			return 2 * value;
		}

		void nothing() {
		}

		Object failing() throws IOException {
			throw new IOException("checked");
		}

		Object crashing() {
			throw new AssertionError("crash");
		}

	}

}
