package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * Small helpers for building and matching terms inside the engine.
 */
final class Terms {

	static final OtpErlangAtom OK = new OtpErlangAtom("ok");

	static final OtpErlangAtom NORMAL = new OtpErlangAtom("normal");

	static final OtpErlangAtom KILL = new OtpErlangAtom("kill");

	static final OtpErlangAtom KILLED = new OtpErlangAtom("killed");

	static final OtpErlangAtom NOPROC = new OtpErlangAtom("noproc");

	static final OtpErlangAtom NOCONNECTION = new OtpErlangAtom("noconnection");

	static final OtpErlangAtom SHUTDOWN = new OtpErlangAtom("shutdown");

	static final OtpErlangAtom EXIT = new OtpErlangAtom("EXIT");

	static final OtpErlangAtom DOWN = new OtpErlangAtom("DOWN");

	static final OtpErlangAtom PROCESS = new OtpErlangAtom("process");

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

	static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/**
	 * A proper list as a list. Erlang sends lists of small integers ({@code [1, 2]}) as strings,
	 * which JInterface decodes as {@link OtpErlangString}.
	 * @return the list, or {@code null} when {@code term} is not a proper list
	 */
	static OtpErlangList properList(OtpErlangObject term) {
		if (term instanceof OtpErlangList list) {
			return (list.getLastTail() == null) ? list : null;
		}
		if (term instanceof OtpErlangString string) {
			return new OtpErlangList(string.stringValue());
		}
		return null;
	}

	static boolean isAtom(OtpErlangObject term, String name) {
		return term instanceof OtpErlangAtom atom && atom.atomValue().equals(name);
	}

	/** @return the tuple when {@code term} is a tuple of that arity whose first element is atom {@code tag} */
	static OtpErlangTuple tagged(OtpErlangObject term, String tag, int arity) {
		if (term instanceof OtpErlangTuple tuple && tuple.arity() == arity && isAtom(tuple.elementAt(0), tag)) {
			return tuple;
		}
		return null;
	}

}
