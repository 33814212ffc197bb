package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * The remote side raised an Erlang exception: its class ({@code error}, {@code exit} or
 * {@code throw}), reason and stacktrace are kept as Erlang terms, and the message prints them
 * as Erlang would.
 */
public class ErlangRemoteException extends ErlangException {

	private final ErlangClass erlangClass;

	private final transient OtpErlangObject reason;

	private final transient OtpErlangObject erlangStacktrace;

	/**
	 * @param erlangClass the class raised
	 * @param reason the reason (for {@code throw}, the thrown term)
	 * @param stacktrace the Erlang stacktrace, or {@code null}
	 */
	public ErlangRemoteException(ErlangClass erlangClass, OtpErlangObject reason, OtpErlangObject stacktrace) {
		super(erlangClass + ":" + reason + formatStack(stacktrace));
		this.erlangClass = erlangClass;
		this.reason = reason;
		this.erlangStacktrace = stacktrace;
	}

	/** @return the class raised: {@code error}, {@code exit} or {@code throw} */
	public ErlangClass getErlangClass() {
		return this.erlangClass;
	}

	/** @return the exception reason (for {@code throw}, the thrown term) */
	public OtpErlangObject getReason() {
		return this.reason;
	}

	/** @return the Erlang stacktrace (a list of {@code {M, F, ArityOrArgs, Location}}), or {@code null} */
	public OtpErlangObject getErlangStacktrace() {
		return this.erlangStacktrace;
	}

	/**
	 * Formats an Erlang stacktrace the way the shell prints it, one frame a line.
	 * @param stacktrace a list of frames, or {@code null}
	 * @return the formatted frames, each starting with a new line; empty when there are none
	 */
	public static String formatStack(OtpErlangObject stacktrace) {
		if (!(stacktrace instanceof OtpErlangList frames) || frames.arity() == 0) {
			return "";
		}
		StringBuilder out = new StringBuilder();
		for (OtpErlangObject frame : frames) {
			out.append("\n    in ");
			if (frame instanceof OtpErlangTuple tuple && tuple.arity() == 4) {
				out.append(atomText(tuple.elementAt(0))).append(':').append(atomText(tuple.elementAt(1)));
				OtpErlangObject arity = tuple.elementAt(2);
				if (arity instanceof OtpErlangString chars) {
					// arguments that are all small integers arrive as a string
					arity = new OtpErlangList(chars.stringValue());
				}
				out.append((arity instanceof OtpErlangList args) ? args.toString().replaceFirst("^\\[", "(")
					.replaceFirst("]$", ")") : "/" + arity);
				String location = location(tuple.elementAt(3));
				if (!location.isEmpty()) {
					out.append(" (").append(location).append(')');
				}
			}
			else {
				out.append(frame);
			}
		}
		return out.toString();
	}

	private static String location(OtpErlangObject info) {
		String file = null;
		String line = null;
		if (info instanceof OtpErlangList items) {
			for (OtpErlangObject item : items) {
				if (item instanceof OtpErlangTuple pair && pair.arity() == 2) {
					String key = atomText(pair.elementAt(0));
					if (key.equals("file")) {
						file = (pair.elementAt(1) instanceof OtpErlangString name) ? name.stringValue()
								: pair.elementAt(1).toString();
					}
					else if (key.equals("line")) {
						line = pair.elementAt(1).toString();
					}
				}
			}
		}
		if (file == null) {
			return "";
		}
		return (line != null) ? file + ":" + line : file;
	}

	private static String atomText(OtpErlangObject term) {
		return (term instanceof OtpErlangAtom atom) ? atom.atomValue() : String.valueOf(term);
	}

}
