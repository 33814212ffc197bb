package io.github.erlangspring.node.dist;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * Prints terms for logs, exceptions and Actuator with a size limit, as OTP's
 * {@code "~P"}/{@code "%.200T"}: a peer can send a term of many megabytes (a bignum of millions
 * of digits, a deep list), and printing it whole costs CPU and floods whatever shows it. Integers
 * wider than 64 bits print as {@code <N-bit integer>}; what is past the limit as {@code ...}.
 */
public final class BoundedTerms {

	/** The default limit, in characters. */
	public static final int DEFAULT_LIMIT = 200;

	private static final int MAX_DEPTH = 8;

	private BoundedTerms() {
	}

	/**
	 * @param term a term, or {@code null}
	 * @return the term printed in at most about {@value #DEFAULT_LIMIT} characters
	 */
	public static String describe(OtpErlangObject term) {
		return describe(term, DEFAULT_LIMIT);
	}

	/**
	 * @param term a term, or {@code null}
	 * @param limit characters after which the rest is left out
	 * @return the term printed in at most about {@code limit} characters (plus {@code ...})
	 */
	public static String describe(OtpErlangObject term, int limit) {
		StringBuilder out = new StringBuilder();
		print(term, out, limit, 0);
		if (out.length() > limit) {
			out.setLength(limit);
			out.append("...");
		}
		return out.toString();
	}

	private static void print(OtpErlangObject term, StringBuilder out, int limit, int depth) {
		if (out.length() > limit) {
			return;
		}
		if (term == null) {
			out.append("null");
		}
		else if (depth > MAX_DEPTH) {
			out.append("...");
		}
		else if (term instanceof OtpErlangLong number) {
			if (number.bitLength() > 64) {
				out.append('<').append(number.bitLength()).append("-bit integer>");
			}
			else {
				out.append(number.longValue());
			}
		}
		else if (term instanceof OtpErlangAtom atom) {
			out.append(clip(atom.toString(), limit - out.length()));
		}
		else if (term instanceof OtpErlangString string) {
			out.append('"').append(clip(string.stringValue(), limit - out.length())).append('"');
		}
		else if (term instanceof OtpErlangBinary binary) {
			bytes(binary.binaryValue(), binary.size(), out, limit);
		}
		else if (term instanceof OtpErlangBitstr bits) {
			out.append("<<").append(bits.size()).append(" bytes, ").append(bits.pad_bits()).append(" pad bits>>");
		}
		else if (term instanceof OtpErlangTuple tuple) {
			elements(tuple.elements(), null, '{', '}', out, limit, depth);
		}
		else if (term instanceof OtpErlangList list) {
			elements(list.elements(), list.getLastTail(), '[', ']', out, limit, depth);
		}
		else if (term instanceof OtpErlangMap map) {
			out.append("#{");
			OtpErlangObject[] keys = map.keys();
			OtpErlangObject[] values = map.values();
			for (int i = 0; i < keys.length && out.length() <= limit; i++) {
				if (i > 0) {
					out.append(',');
				}
				print(keys[i], out, limit, depth + 1);
				out.append(" => ");
				print(values[i], out, limit, depth + 1);
			}
			out.append('}');
		}
		else {
			// pids, refs, ports, floats, funs: small by construction
			out.append(clip(term.toString(), limit - out.length()));
		}
	}

	private static void elements(OtpErlangObject[] elements, OtpErlangObject tail, char open, char close,
			StringBuilder out, int limit, int depth) {
		out.append(open);
		for (int i = 0; i < elements.length && out.length() <= limit; i++) {
			if (i > 0) {
				out.append(',');
			}
			print(elements[i], out, limit, depth + 1);
		}
		if (tail != null && out.length() <= limit) {
			out.append('|');
			print(tail, out, limit, depth + 1);
		}
		out.append(close);
	}

	private static void bytes(byte[] bytes, int size, StringBuilder out, int limit) {
		out.append("<<");
		for (int i = 0; i < size && out.length() <= limit; i++) {
			if (i > 0) {
				out.append(',');
			}
			out.append(bytes[i] & 0xFF);
		}
		out.append(">>");
	}

	private static String clip(String text, int room) {
		int keep = Math.max(8, room + 1);
		return (text.length() > keep) ? text.substring(0, keep) : text;
	}

}
