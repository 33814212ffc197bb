package io.github.erlangspring.state;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * Terms and checks shared by the backends.
 */
final class StateTerms {

	static final OtpErlangAtom UNDEFINED = new OtpErlangAtom("undefined");

	static final OtpErlangAtom INFINITY = new OtpErlangAtom("infinity");

	private StateTerms() {
	}

	static OtpErlangBinary key(String key) {
		return new OtpErlangBinary(checkKey(key).getBytes(StandardCharsets.UTF_8));
	}

	static String checkKey(String key) {
		if (key == null) {
			throw new IllegalArgumentException("state key must not be null");
		}
		return key;
	}

	static Duration checkTtl(Duration ttl) {
		if (ttl == null || ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("state TTL must be positive, got " + ttl);
		}
		return ttl;
	}

	/** Milliseconds, rounded up, as {@code spring_bridge_state} takes them; {@code infinity} for none. */
	static OtpErlangObject ttlMillis(Duration ttl) {
		if (ttl == null) {
			return INFINITY;
		}
		long millis = ttl.toMillis();
		return new OtpErlangLong(ttl.minusMillis(millis).isZero() ? millis : millis + 1);
	}

	/** {@code {not_integer, Key, Value}}, the reason both backends give Erlang. */
	static ErlangStateException notInteger(String key, OtpErlangObject value) {
		return new ErlangStateException("Cannot increment state key '" + key + "': its value is not an integer: " + value,
				new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("not_integer"), key(key), value }));
	}

	static ErlangStateException outOfRange(String key) {
		return new ErlangStateException("Cannot increment state key '" + key + "': the result is outside the 64-bit range",
				new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("out_of_range"), key(key) }));
	}

}
