package io.github.erlangspring.reliability;

import java.util.Base64;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpOutputStream;

/** Term builders and readers for the reliability tests. */
final class Terms {

	private Terms() {
	}

	static OtpErlangAtom atom(String name) {
		return new OtpErlangAtom(name);
	}

	static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

	static OtpErlangList list(OtpErlangObject... elements) {
		return new OtpErlangList(elements);
	}

	static OtpErlangLong num(long value) {
		return new OtpErlangLong(value);
	}

	/** @return the node name quoted as an Erlang atom */
	static String q(String nodeName) {
		return "'" + nodeName + "'";
	}

	/** @return an Erlang expression whose value is {@code term} */
	static String lit(OtpErlangObject term) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(131);
		out.write_any(term);
		return "binary_to_term(base64:decode(\"" + Base64.getEncoder().encodeToString(out.toByteArray()) + "\"))";
	}

	/** @return the value of an atom key of an Erlang map */
	static OtpErlangObject get(OtpErlangObject map, String key) {
		OtpErlangObject value = ((OtpErlangMap) map).get(atom(key));
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
