package io.github.erlangspring.web;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import io.github.erlangspring.node.ErlangClass;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangNodeDownException;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.web.HookTerms.Header;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web hook protocol both HTTP adapters share, without a node or a server: the request term,
 * the three answer shapes, and the failure modes. The HTTP side is covered against real
 * {@code erl} by {@code ErlangHooksTests} and {@code ErlangHookWebFilterTests}.
 */
class ErlangHooksProtocolTests {

	private static final Hooks ALL = new Hooks("req", "resp", "err");

	private static final OtpErlangMap REQUEST = new OtpErlangMap();

	private OtpErlangList lastArgs;

	private ErlangHooks hooks(HookFailureMode mode, Supplier<CompletableFuture<OtpErlangObject>> answer) {
		ErlangNode node = (ErlangNode) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { ErlangNode.class },
				(proxy, method, args) -> {
					if (method.getName().equals("rpc") && args.length == 5) {
						assertThat(args).startsWith("hooks@h", "spring_bridge", "call");
						this.lastArgs = (OtpErlangList) args[3];
						return answer.get();
					}
					throw new UnsupportedOperationException(method.getName());
				});
		return new ErlangHooks(node, "hooks@h", ALL, Duration.ofMillis(20), mode, 503);
	}

	private ErlangHooks answering(HookFailureMode mode, OtpErlangObject answer) {
		return hooks(mode, () -> CompletableFuture.completedFuture(answer));
	}

	private static HookDecision decided(CompletableFuture<HookDecision> decision) throws Exception {
		return decision.get(10, TimeUnit.SECONDS);
	}

	@Test
	void theRequestTermLeavesWithheldHeadersOut() {
		ErlangHooks hooks = answering(HookFailureMode.OPEN, atom("continue"));
		OtpErlangMap request = hooks.request("GET", "/a/b", null,
				List.of(new Header("Accept", "text/plain"), new Header("Authorization", "Bearer x")), null);
		assertThat(request.get(atom("method"))).isEqualTo(binary("GET"));
		assertThat(request.get(atom("query"))).isEqualTo(atom("undefined"));
		assertThat(request.get(atom("peer"))).isEqualTo(atom("undefined"));
		assertThat(request.get(atom("headers"))).isEqualTo(
				new OtpErlangList(new OtpErlangObject[] { tuple(binary("accept"), binary("text/plain")) }));
		hooks.setWithheldHeaders(List.of());
		assertThat(((OtpErlangList) hooks.request("GET", "/", "x=1", List.of(new Header("Authorization", "B")), "10.0.0.1")
			.get(atom("headers"))).arity()).isEqualTo(1);
	}

	@Test
	void onRequestContinuesOrResponds() throws Exception {
		assertThat(decided(answering(HookFailureMode.CLOSED, atom("continue")).onRequest(REQUEST)))
			.isEqualTo(HookDecision.CONTINUE);
		HookDecision respond = decided(answering(HookFailureMode.CLOSED, tuple(atom("respond"), num(201),
				new OtpErlangList(new OtpErlangObject[] { tuple(binary("x-a"), binary("1")) }), binary("hi")))
			.onRequest(REQUEST));
		assertThat(respond).isInstanceOfSatisfying(HookDecision.Respond.class, (r) -> {
			assertThat(r.status()).isEqualTo(201);
			assertThat(r.headers()).containsExactly(new Header("x-a", "1"));
			assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("hi");
		});
		assertThat(this.lastArgs.elementAt(0)).isEqualTo(binary("req"));
	}

	@Test
	void onErrorPassesTheExceptionAndAnswersWithStatusAndBody() throws Exception {
		ErlangHooks hooks = answering(HookFailureMode.CLOSED, tuple(num(500), binary("oops")));
		HookDecision decision = decided(hooks.onError(REQUEST, new IllegalStateException("broken")));
		assertThat(decision).isInstanceOfSatisfying(HookDecision.Respond.class, (r) -> {
			assertThat(r.status()).isEqualTo(500);
			assertThat(r.headers()).isEmpty();
		});
		OtpErlangMap error = (OtpErlangMap) ((OtpErlangList) this.lastArgs.elementAt(1)).elementAt(1);
		assertThat(error.get(atom("class"))).isEqualTo(binary("java.lang.IllegalStateException"));
		assertThat(error.get(atom("message"))).isEqualTo(binary("broken"));
	}

	@Test
	void onResponseAmendsStatusAndHeaders() throws Exception {
		ErlangHooks hooks = answering(HookFailureMode.CLOSED,
				tuple(num(202), new OtpErlangList(new OtpErlangObject[] { tuple(binary("x-b"), binary("2")) })));
		HookDecision decision = decided(hooks.onResponse(REQUEST, 200, List.of(new Header("Content-Type", "text/plain"))));
		assertThat(decision).isEqualTo(new HookDecision.Amend(202, List.of(new Header("x-b", "2"))));
	}

	@Test
	void anAnswerOfTheWrongShapeFailsOpenOrClosed() throws Exception {
		OtpErlangObject wrong = atom("maybe");
		assertThat(decided(answering(HookFailureMode.OPEN, wrong).onRequest(REQUEST))).isEqualTo(HookDecision.CONTINUE);
		assertThat(decided(answering(HookFailureMode.CLOSED, wrong).onRequest(REQUEST)))
			.isEqualTo(new HookDecision.Fail(503));
		assertThat(decided(answering(HookFailureMode.CLOSED, tuple(num(99), binary("x"))).onError(REQUEST,
				new RuntimeException()))).as("a status out of range").isEqualTo(new HookDecision.Fail(503));
	}

	@Test
	void aHookThatRaisesOrCannotBeReachedFails() throws Exception {
		ErlangHooks raising = hooks(HookFailureMode.CLOSED, () -> CompletableFuture
			.failedFuture(new ErlangRemoteException(ErlangClass.ERROR, atom("badarg"), null)));
		assertThat(decided(raising.onResponse(REQUEST, 200, List.of()))).isEqualTo(new HookDecision.Fail(503));
		ErlangHooks unreachable = hooks(HookFailureMode.OPEN, () -> {
			throw new ErlangNodeDownException("hooks@h", "down");
		});
		assertThat(decided(unreachable.onRequest(REQUEST))).isEqualTo(HookDecision.CONTINUE);
	}

	@Test
	void aLostReplyStillEndsInADecision() throws Exception {
		ErlangHooks silent = hooks(HookFailureMode.CLOSED, CompletableFuture::new);
		assertThat(decided(silent.onRequest(REQUEST))).isEqualTo(new HookDecision.Fail(503));
	}

	private static OtpErlangAtom atom(String name) {
		return new OtpErlangAtom(name);
	}

	private static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
	}

	private static OtpErlangLong num(long value) {
		return new OtpErlangLong(value);
	}

	private static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

}
