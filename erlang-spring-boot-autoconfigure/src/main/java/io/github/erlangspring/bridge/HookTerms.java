package io.github.erlangspring.bridge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRangeException;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * The terms hooks receive and the answers they give, read strictly: anything else is an
 * {@link IllegalArgumentException} naming what was wrong.
 */
final class HookTerms {

	static final OtpErlangAtom UNDEFINED = new OtpErlangAtom("undefined");

	private HookTerms() {
	}

	static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
	}

	static OtpErlangMap map(Map<String, OtpErlangObject> entries) {
		OtpErlangObject[] keys = new OtpErlangObject[entries.size()];
		OtpErlangObject[] values = new OtpErlangObject[entries.size()];
		int i = 0;
		for (Map.Entry<String, OtpErlangObject> entry : entries.entrySet()) {
			keys[i] = new OtpErlangAtom(entry.getKey());
			values[i++] = entry.getValue();
		}
		return new OtpErlangMap(keys, values);
	}

	/** {@code [{<<"name">>, <<"value">>}]}, names in lower case. */
	static OtpErlangList headers(List<Header> headers) {
		OtpErlangObject[] terms = new OtpErlangObject[headers.size()];
		for (int i = 0; i < terms.length; i++) {
			Header header = headers.get(i);
			terms[i] = new OtpErlangTuple(new OtpErlangObject[] { binary(header.name().toLowerCase(Locale.ROOT)),
					binary(header.value()) });
		}
		return new OtpErlangList(terms);
	}

	static int status(OtpErlangObject term) {
		if (term instanceof OtpErlangLong number) {
			try {
				int status = number.intValue();
				if (status >= 100 && status <= 599) {
					return status;
				}
			}
			catch (OtpErlangRangeException ex) {
				// not a status
			}
		}
		throw new IllegalArgumentException("status must be an integer from 100 to 599, got " + term);
	}

	/** A list of {@code {Name, Value}} or a map; names and values are binaries, strings or atoms. */
	static List<Header> readHeaders(OtpErlangObject term) {
		List<Header> headers = new ArrayList<>();
		if (term instanceof OtpErlangMap map) {
			for (OtpErlangObject key : map.keys()) {
				headers.add(new Header(text(key, "header name"), text(map.get(key), "header value")));
			}
			return headers;
		}
		if (term instanceof OtpErlangList list && list.getLastTail() == null) {
			for (OtpErlangObject element : list) {
				if (!(element instanceof OtpErlangTuple pair && pair.arity() == 2)) {
					throw new IllegalArgumentException("headers must be {Name, Value} pairs, got " + element);
				}
				headers.add(new Header(text(pair.elementAt(0), "header name"), text(pair.elementAt(1), "header value")));
			}
			return headers;
		}
		if (term instanceof OtpErlangString empty && empty.stringValue().isEmpty()) {
			return headers;
		}
		throw new IllegalArgumentException("headers must be a list of {Name, Value} or a map, got " + term);
	}

	/** A binary (its bytes), or chardata (a string, possibly nested, encoded as UTF-8). */
	static byte[] body(OtpErlangObject term) {
		if (term instanceof OtpErlangBinary binary) {
			return binary.binaryValue();
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		chardata(term, out);
		return out.toByteArray();
	}

	private static void chardata(OtpErlangObject term, ByteArrayOutputStream out) {
		if (term instanceof OtpErlangBinary binary) {
			out.writeBytes(binary.binaryValue());
		}
		else if (term instanceof OtpErlangString string) {
			out.writeBytes(string.stringValue().getBytes(StandardCharsets.UTF_8));
		}
		else if (term instanceof OtpErlangList list && list.getLastTail() == null) {
			for (OtpErlangObject element : list) {
				chardata(element, out);
			}
		}
		else if (term instanceof OtpErlangLong codePoint && codePoint.isLong() && Character.isValidCodePoint((int) codePoint.longValue())
				&& codePoint.longValue() <= Character.MAX_CODE_POINT) {
			out.writeBytes(new String(Character.toChars((int) codePoint.longValue())).getBytes(StandardCharsets.UTF_8));
		}
		else {
			throw new IllegalArgumentException("body must be a binary or a string, got " + term);
		}
	}

	private static String text(OtpErlangObject term, String what) {
		if (term instanceof OtpErlangBinary binary) {
			return new String(binary.binaryValue(), StandardCharsets.UTF_8);
		}
		if (term instanceof OtpErlangString string) {
			return string.stringValue();
		}
		if (term instanceof OtpErlangAtom atom) {
			return atom.atomValue();
		}
		if (term instanceof OtpErlangLong number) {
			return number.toString();
		}
		throw new IllegalArgumentException(what + " must be a binary, a string or an atom, got " + term);
	}

	record Header(String name, String value) {
	}

}
