package io.github.erlangspring.node;

import java.util.Locale;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * The class of an Erlang exception: what {@code try ... catch Class:Reason} matches on.
 */
public enum ErlangClass {

	/** {@code error(Reason)}: a run-time error or {@code erlang:error/1,2}; it comes with a stacktrace. */
	ERROR,

	/** {@code exit(Reason)}. */
	EXIT,

	/** {@code throw(Term)}: a non-local return. */
	THROW;

	private final String atomValue = name().toLowerCase(Locale.ROOT);

	private final OtpErlangAtom atom = new OtpErlangAtom(this.atomValue);

	/** @return the class as Erlang writes it: {@code error}, {@code exit} or {@code throw} */
	public String atomValue() {
		return this.atomValue;
	}

	/** @return the class as an atom */
	public OtpErlangAtom atom() {
		return this.atom;
	}

	/**
	 * @param term an atom {@code error}, {@code exit} or {@code throw}
	 * @return its class, or {@code null} when the term is none of them
	 */
	public static ErlangClass of(OtpErlangObject term) {
		if (term instanceof OtpErlangAtom atom) {
			for (ErlangClass value : values()) {
				if (value.atomValue.equals(atom.atomValue())) {
					return value;
				}
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return this.atomValue;
	}

}
