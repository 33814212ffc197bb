package io.github.erlangspring.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRangeException;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.node.dist.BoundedTerms;

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
		throw new IllegalArgumentException("status must be an integer from 100 to 599, got " + BoundedTerms.describe(term));
	}

	/**
	 * A list of {@code {Name, Value}} or a map; names and values are binaries, strings or atoms.
	 * Names must be HTTP tokens and values must hold no control character but tab (no CR, LF or
	 * NUL that would split or forge headers): anything else is refused, which makes it a hook failure.
	 */
	static List<Header> readHeaders(OtpErlangObject term) {
		List<Header> headers = new ArrayList<>();
		if (term instanceof OtpErlangMap map) {
			for (OtpErlangObject key : map.keys()) {
				headers.add(header(text(key, "header name"), text(map.get(key), "header value")));
			}
			return headers;
		}
		if (term instanceof OtpErlangList list && list.getLastTail() == null) {
			for (OtpErlangObject element : list) {
				if (!(element instanceof OtpErlangTuple pair && pair.arity() == 2)) {
					throw new IllegalArgumentException("headers must be {Name, Value} pairs, got " + BoundedTerms.describe(element));
				}
				headers.add(header(text(pair.elementAt(0), "header name"), text(pair.elementAt(1), "header value")));
			}
			return headers;
		}
		if (term instanceof OtpErlangString empty && empty.stringValue().isEmpty()) {
			return headers;
		}
		throw new IllegalArgumentException("headers must be a list of {Name, Value} or a map, got " + BoundedTerms.describe(term));
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
			throw new IllegalArgumentException("body must be a binary or a string, got " + BoundedTerms.describe(term));
		}
	}

	private static Header header(String name, String value) {
		if (!isToken(name)) {
			throw new IllegalArgumentException("header name is not an HTTP token: '" + printable(name) + "'");
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if ((c < 0x20 && c != '\t') || c == 0x7F) {
				throw new IllegalArgumentException("value of header " + name + " holds control character 0x"
						+ Integer.toHexString(c));
			}
		}
		return new Header(name, value);
	}

	/** Whether {@code name} is an RFC 9110 token: visible ASCII without delimiters. */
	static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c <= 0x20 || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
				return false;
			}
		}
		return true;
	}

	private static String printable(String text) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < text.length() && i < 64; i++) {
			char c = text.charAt(i);
			out.append((c < 0x20 || c >= 0x7F) ? '?' : c);
		}
		return out.toString();
	}

	/** Request headers not sent to hooks unless configured otherwise: credentials. */
	static final List<String> DEFAULT_WITHHELD_HEADERS = List.of("Authorization", "Cookie", "Proxy-Authorization");

	static Set<String> lowerCase(Collection<String> names) {
		Set<String> lower = new HashSet<>();
		names.forEach((name) -> lower.add(name.strip().toLowerCase(Locale.ROOT)));
		return Set.copyOf(lower);
	}

	/** Request headers as sent to hooks: all but the withheld ones (names compared ignoring case). */
	static boolean isWithheld(String name, Set<String> withheld) {
		return withheld.contains(name.toLowerCase(Locale.ROOT));
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
		throw new IllegalArgumentException(what + " must be a binary, a string or an atom, got " + BoundedTerms.describe(term));
	}

	record Header(String name, String value) {
	}

}
