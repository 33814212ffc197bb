package io.github.erlangspring.convert;

import java.lang.reflect.Type;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * Converts between Java values and Erlang terms: the one conversion used by the template,
 * process handlers, RPC methods, state and pub/sub. The default mapping
 * ({@link DefaultErlangConverter}) is documented in {@code docs/conversion.md}.
 */
public interface ErlangConverter {

	/**
	 * Converts a Java value to a term.
	 * @param value the value ({@code null} becomes {@code undefined})
	 * @return the term
	 * @throws ErlangConversionException when the value has no Erlang form
	 */
	OtpErlangObject toErlang(Object value);

	/**
	 * Converts a term to a Java type.
	 * @param term the term
	 * @param type the target type
	 * @return the value
	 * @throws ErlangConversionException when the term does not fit the type
	 */
	<T> T fromErlang(OtpErlangObject term, Class<T> type);

	/**
	 * Converts a term to a possibly generic Java type, e.g. {@code List<User>}.
	 * @param term the term
	 * @param type the target type
	 * @return the value
	 * @throws ErlangConversionException when the term does not fit the type
	 */
	Object fromErlang(OtpErlangObject term, Type type);

	/**
	 * Converts a term to a type, naming where the term is in errors.
	 * @param term the term
	 * @param type the target type
	 * @param path where the term is, e.g. {@code name} for a parameter (errors then read
	 * {@code name: expected ..., got ...})
	 * @return the value
	 * @throws ErlangConversionException when the term does not fit the type
	 */
	default Object fromErlang(OtpErlangObject term, Type type, String path) {
		try {
			return fromErlang(term, type);
		}
		catch (ErlangConversionException ex) {
			throw ex.under(path);
		}
	}

	/**
	 * Converts a term to the natural Java value: integers to {@code Long} (or
	 * {@code BigInteger}), floats to {@code Double}, binaries to {@code String} when valid
	 * UTF-8 (else {@code byte[]}), printable charlists to {@code String} (other lists of
	 * integers stay lists), {@code true}/{@code false} to {@code Boolean},
	 * {@code undefined} to {@code null}, other atoms to {@link Atom}, lists to {@code List},
	 * maps to {@code Map}; tuples, pids, refs and funs stay JInterface objects.
	 * @param term the term
	 * @return the value
	 */
	default Object fromErlang(OtpErlangObject term) {
		return fromErlang(term, Object.class);
	}

}
