package io.github.erlangspring.reliability;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;

/** Term readers for the reliability tests (builders: {@link io.github.erlangspring.node.TestTerms}). */
final class Terms {

	private Terms() {
	}

	/** @return the value of an atom key of an Erlang map */
	static OtpErlangObject get(OtpErlangObject map, String key) {
		OtpErlangObject value = ((OtpErlangMap) map).get(new OtpErlangAtom(key));
		if (value == null) {
			throw new IllegalArgumentException("no " + key + " in " + map);
		}
		return value;
	}

	/** @return the integer value of an atom key of an Erlang map */
	static long count(OtpErlangObject map, String key) {
		return ((OtpErlangLong) get(map, key)).longValue();
	}

	/** @return the integer value of a term */
	static long longValue(OtpErlangObject term) {
		return ((OtpErlangLong) term).longValue();
	}

}
