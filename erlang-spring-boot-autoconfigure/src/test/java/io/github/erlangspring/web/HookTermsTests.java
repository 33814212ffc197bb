package io.github.erlangspring.web;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import io.github.erlangspring.web.HookTerms.Header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What hooks may answer, read without a node: statuses, headers (which must not split or forge
 * headers) and bodies.
 */
class HookTermsTests {

	@Test
	void aStatusIsAnIntegerFrom100To599() {
		assertThat(HookTerms.status(new OtpErlangLong(204))).isEqualTo(204);
		assertThatIllegalArgumentException().isThrownBy(() -> HookTerms.status(new OtpErlangLong(600)));
		assertThatIllegalArgumentException().isThrownBy(() -> HookTerms.status(new OtpErlangAtom("ok")));
	}

	@Test
	void headersAreAListOfPairsOrAMap() {
		OtpErlangObject list = new OtpErlangList(new OtpErlangObject[] { pair(binary("x-a"), new OtpErlangString("1")),
				pair(new OtpErlangAtom("x-b"), binary("2")) });
		assertThat(HookTerms.readHeaders(list)).containsExactly(new Header("x-a", "1"), new Header("x-b", "2"));
		OtpErlangMap map = new OtpErlangMap(new OtpErlangObject[] { binary("x-c") }, new OtpErlangObject[] { binary("3") });
		assertThat(HookTerms.readHeaders(map)).containsExactly(new Header("x-c", "3"));
		assertThat(HookTerms.readHeaders(new OtpErlangString(""))).as("[] as Erlang sends it").isEmpty();
	}

	@Test
	void headersThatWouldSplitOrForgeAResponseAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> HookTerms
			.readHeaders(new OtpErlangList(new OtpErlangObject[] { pair(binary("x-a"), binary("1\r\nSet-Cookie: x")) })));
		assertThatIllegalArgumentException().isThrownBy(() -> HookTerms
			.readHeaders(new OtpErlangList(new OtpErlangObject[] { pair(binary("bad name"), binary("1")) })));
		assertThat(HookTerms.isToken("x-custom_1")).isTrue();
		assertThat(HookTerms.isToken("x:y")).isFalse();
	}

	@Test
	void aBodyIsABinaryOrCharacterData() {
		assertThat(HookTerms.body(binary("hi"))).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
		assertThat(new String(HookTerms.body(new OtpErlangString("héllo")), StandardCharsets.UTF_8)).isEqualTo("héllo");
	}

	@Test
	void requestHeadersGoInLowerCaseAndWithheldOnesAreNamedIgnoringCase() {
		assertThat(HookTerms.headers(List.of(new Header("Content-Type", "text/plain"))))
			.isEqualTo(new OtpErlangList(new OtpErlangObject[] { pair(binary("content-type"), binary("text/plain")) }));
		assertThat(HookTerms.isWithheld("AUTHORIZATION", HookTerms.lowerCase(HookTerms.DEFAULT_WITHHELD_HEADERS)))
			.isTrue();
	}

	private static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
	}

	private static OtpErlangTuple pair(OtpErlangObject a, OtpErlangObject b) {
		return new OtpErlangTuple(new OtpErlangObject[] { a, b });
	}

}
