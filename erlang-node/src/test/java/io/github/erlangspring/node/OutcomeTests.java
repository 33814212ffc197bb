package io.github.erlangspring.node;

import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Java function's outcome in Erlang's terms, by exception class: the {@code erpc} exit reason
 * and the {@code rpc} (rex) result.
 */
class OutcomeTests {

	private static final OtpErlangRef RES = new OtpErlangRef("a@h", new int[] { 1, 2, 3 }, 1);

	private static Outcome run(RpcFunction function) {
		SimpleFunctionTable table = new SimpleFunctionTable().register("m", "f", 0, function);
		return Outcome.invoke(table, new RpcCall("m", "f", List.of(), null));
	}

	@Test
	void aReturnIsNoExceptionClass() {
		Outcome outcome = run((call) -> new OtpErlangAtom("hi"));
		assertThat(outcome.isReturn()).isTrue();
		assertThat(outcome.kind()).isEqualTo("return");
		assertThat(outcome.erpcReason(RES)).isEqualTo(tuple(RES, atom("return"), atom("hi")));
		assertThat(outcome.rexResult()).isEqualTo(atom("hi"));
	}

	@Test
	void raisedClassesKeepTheirClass() {
		assertThat(run((call) -> {
			throw ErlangRaiseException.throwing(atom("t"));
		}).erpcReason(RES)).isEqualTo(tuple(RES, atom("throw"), atom("t")));
		Outcome exit = run((call) -> {
			throw ErlangRaiseException.exit(atom("e"));
		});
		assertThat(exit.erlangClass()).isEqualTo(ErlangClass.EXIT);
		assertThat(exit.rexResult()).isEqualTo(tuple(atom("badrpc"), tuple(atom("EXIT"), atom("e"))));
	}

	@Test
	void aJavaExceptionIsAnErrorWithAStack() {
		Outcome outcome = run((call) -> {
			throw new IllegalStateException("boom");
		});
		assertThat(outcome.erlangClass()).isEqualTo(ErlangClass.ERROR);
		assertThat(outcome.value()).isEqualTo(tuple(atom("java.lang.IllegalStateException"),
				new com.ericsson.otp.erlang.OtpErlangBinary("boom".getBytes())));
		assertThat(outcome.stack()).isNotNull();
		assertThat(((OtpErlangTuple) outcome.erpcReason(RES)).arity()).isEqualTo(4);
	}

	@Test
	void aMissingFunctionIsUndef() {
		Outcome outcome = Outcome.invoke(new SimpleFunctionTable(), new RpcCall("m", "g", List.of(), null));
		assertThat(outcome.erlangClass()).isEqualTo(ErlangClass.ERROR);
		assertThat(outcome.value()).isEqualTo(atom("undef"));
	}

	@Test
	void classesReadAsErlangWritesThem() {
		assertThat(ErlangClass.of(atom("throw"))).isEqualTo(ErlangClass.THROW);
		assertThat(ErlangClass.of(atom("return"))).isNull();
		assertThat(ErlangClass.ERROR.atom()).isEqualTo(atom("error"));
		assertThat(ErlangClass.EXIT).hasToString("exit");
		assertThat(NodeObserver.RpcOutcome.of(ErlangClass.THROW).tag()).isEqualTo("throw");
	}

	private static OtpErlangAtom atom(String name) {
		return new OtpErlangAtom(name);
	}

	private static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

}
