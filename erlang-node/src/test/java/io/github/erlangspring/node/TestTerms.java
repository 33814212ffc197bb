package io.github.erlangspring.node;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Term builders for the end-to-end tests, and {@link #lit(OtpErlangObject)} to put any Java-side
 * term (a Java pid, say) into an Erlang expression evaluated on a peer.
 */
public final class TestTerms {

	private TestTerms() {
	}

	public static OtpErlangAtom atom(String name) {
		return new OtpErlangAtom(name);
	}

	public static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

	public static OtpErlangList list(OtpErlangObject... elements) {
		return new OtpErlangList(elements);
	}

	public static OtpErlangLong num(long value) {
		return new OtpErlangLong(value);
	}

	public static OtpErlangBinary bin(String text) {
		return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
	}

	public static OtpErlangString str(String text) {
		return new OtpErlangString(text);
	}

	/** @return an Erlang expression whose value is {@code term} */
	public static String lit(OtpErlangObject term) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(131);
		out.write_any(term);
		return "binary_to_term(base64:decode(\"" + Base64.getEncoder().encodeToString(out.toByteArray()) + "\"))";
	}

	/** @return the node name quoted as an Erlang atom */
	public static String q(String nodeName) {
		return "'" + nodeName + "'";
	}

	/** The next message of a mailbox, failing when none arrives within five seconds. */
	public static OtpErlangObject next(Mailbox mailbox) throws InterruptedException {
		OtpErlangObject message = mailbox.receive(Duration.ofSeconds(5));
		assertThat(message).as("message for %s", mailbox).isNotNull();
		return message;
	}

}
