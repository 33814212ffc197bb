package io.github.erlangspring.reliability;

import java.math.BigInteger;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.dist.BoundedTerms;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Terms from peers are printed with a size limit wherever they are printed (conversion errors,
 * logs, Actuator): a bignum of ten million digits is {@code <N-bit integer>}, not ten million
 * digits computed at a cost that grows faster than its size.
 */
class BoundedPrintingTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@BeforeAll
	static void epmd() {
		ErlangRuntime.ensureEpmd();
	}

	@Test
	void aHugeIntegerWhereAStringIsExpectedFailsAtOnceWithAShortMessage() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer peer = erlang.peer().cookie(cookie).start();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class))
			.withBean(Greeter.class)
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_print") + "@127.0.0.1",
					"erlang.cookie=" + cookie)
			.run((context) -> {
				String node = q(context.getBean(ErlangNode.class).name());
				assertThat(peer.eval("binary_to_list(erpc:call(" + node + ", esb_print, hello, [<<\"x\">>], 5000))").toString())
					.contains("hello");
				// Printed whole, 1 bsl 33000000 (ten million digits) takes minutes of CPU. The
				// timeout is generous: the bounded printer answers in milliseconds.
				String failure = peer
					.eval("try erpc:call(" + node + ", esb_print, hello, [1 bsl 33000000], 20000) "
							+ "catch C:R -> lists:flatten(io_lib:format(\"~p\", [{C, R}])) end")
					.toString();
				assertThat(failure).contains("<33000001-bit integer>").doesNotContain("timeout");
				assertThat(failure.length()).isLessThan(2000);
			});
	}

	@Test
	void theBoundedPrinterKeepsToItsLimit() {
		assertThat(BoundedTerms.describe(new OtpErlangLong(BigInteger.ONE.shiftLeft(100_000))))
			.isEqualTo("<100001-bit integer>");
		assertThat(BoundedTerms.describe(new OtpErlangLong(42))).isEqualTo("42");
		OtpErlangObject deep = atom("x");
		for (int i = 0; i < 10_000; i++) {
			deep = new OtpErlangList(deep);
		}
		assertThat(BoundedTerms.describe(deep)).hasSizeLessThanOrEqualTo(BoundedTerms.DEFAULT_LIMIT + 3);
		OtpErlangObject[] many = new OtpErlangObject[100_000];
		java.util.Arrays.fill(many, atom("element"));
		assertThat(BoundedTerms.describe(new OtpErlangList(many), 50)).hasSize(53).endsWith("...");
		assertThat(BoundedTerms.describe(new OtpErlangList(new OtpErlangObject[] { atom("a"), new OtpErlangLong(1) })))
			.isEqualTo("[a,1]");
	}

	@ErlangRpc(module = "esb_print")
	static class Greeter {

		@ErlangRpc
		String hello(String name) {
			return "hello " + name;
		}

	}

}
