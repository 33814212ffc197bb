package io.github.erlangspring.handler;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.annotation.HandleCast;
import io.github.erlangspring.annotation.HandleInfo;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.convert.ErlangRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How {@code @HandleCall}/{@code @HandleCast}/{@code @HandleInfo} methods match messages, without
 * a node: tagged tuples first, then records, then typed parameters, then the default; two
 * handlers that would take the same messages are an error.
 */
class ProcessHandlersTests {

	private static final ErlangConverter converter = new DefaultErlangConverter();

	@Test
	void aTaggedTupleBindsItsElementsAndTheCallerStaysOut() throws Exception {
		Handlers bean = new Handlers();
		ProcessHandlers handlers = ProcessHandlers.collect(bean, Handlers.class, HandleCall.class, "p");
		ProcessHandlers.Match match = handlers.match(tuple(atom("add"), num(1), num(2)), converter);
		assertThat(match.handler().method().getName()).isEqualTo("add");
		assertThat(match.args()).containsExactly(1L, 2L, null);
		assertThat(match.handler().invoke(match.args(), null)).isEqualTo(3L);
		assertThat(match.handler().defersReply()).isFalse();
	}

	@Test
	void aRecordMatchesByItsTagBeforeTypedAndDefaultHandlers() {
		ProcessHandlers handlers = ProcessHandlers.collect(new Handlers(), Handlers.class, HandleCall.class, "p");
		ProcessHandlers.Match match = handlers.match(tuple(atom("point"), num(1), num(2)), converter);
		assertThat(match.handler().method().getName()).isEqualTo("point");
		assertThat(match.args()).containsExactly(new Point(1, 2));
	}

	@Test
	void aMessageThatDoesNotConvertFallsThroughToTheDefault() {
		ProcessHandlers handlers = ProcessHandlers.collect(new Handlers(), Handlers.class, HandleCall.class, "p");
		assertThat(handlers.match(new OtpErlangBinary("bob".getBytes()), converter).handler().method().getName())
			.isEqualTo("greet");
		assertThat(handlers.match(tuple(atom("unknown")), converter).handler().method().getName()).isEqualTo("other");
		assertThat(handlers.size()).isEqualTo(4);
	}

	@Test
	void withoutADefaultAMessageNoHandlerTakesIsUnmatched() {
		ProcessHandlers handlers = ProcessHandlers.collect(new Casts(), Casts.class, HandleCast.class, "p");
		assertThat(handlers.match(atom("stop"), converter).handler().method().getName()).isEqualTo("stop");
		assertThat(handlers.match(atom("other"), converter)).isNull();
		assertThat(handlers.match(tuple(atom("stop"), num(1)), converter)).as("a tag of another arity").isNull();
	}

	@Test
	void twoHandlersForTheSameMessagesAreAmbiguous() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProcessHandlers.collect(new Ambiguous(), Ambiguous.class, HandleCall.class, "p"))
			.withMessageContaining("Ambiguous @HandleCall handlers in @ErlangProcess(\"p\")")
			.withMessageContaining("tag add/2");
	}

	@Test
	void severalParametersNeedATag() {
		assertThatIllegalStateException()
			.isThrownBy(() -> ProcessHandlers.collect(new Untagged(), Untagged.class, HandleInfo.class, "p"))
			.withMessageContaining("takes 2 arguments but has no tag");
	}

	@Test
	void aVoidHandlerTakingTheCallerDefersItsReply() {
		ProcessHandlers handlers = ProcessHandlers.collect(new Deferred(), Deferred.class, HandleCall.class, "p");
		assertThat(handlers.match(atom("later"), converter).handler().defersReply()).isTrue();
	}

	private static OtpErlangAtom atom(String name) {
		return new OtpErlangAtom(name);
	}

	private static OtpErlangLong num(long value) {
		return new OtpErlangLong(value);
	}

	private static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

	@ErlangRecord("point")
	record Point(long x, long y) {
	}

	static class Handlers {

		@HandleCall("add")
		long add(long a, long b, ErlangCaller caller) {
			return a + b;
		}

		@HandleCall
		Point point(Point point) {
			return point;
		}

		@HandleCall
		String greet(String name) {
			return "hello " + name;
		}

		@HandleCall
		Object other(Object message) {
			return message;
		}

	}

	static class Casts {

		@HandleCast("stop")
		void stop() {
		}

	}

	static class Ambiguous {

		@HandleCall("add")
		long add(long a, long b) {
			return a + b;
		}

		@HandleCall("add")
		long plus(long a, long b) {
			return a + b;
		}

	}

	static class Untagged {

		@HandleInfo
		void two(long a, long b) {
		}

	}

	static class Deferred {

		@HandleCall("later")
		void later(ErlangCaller caller) {
		}

	}

}
