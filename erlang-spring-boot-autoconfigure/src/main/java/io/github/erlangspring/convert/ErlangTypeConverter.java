package io.github.erlangspring.convert;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * Converts one Java type to and from Erlang terms, taking precedence over the default mapping.
 * Declare implementations as beans and the auto-configured {@link ErlangConverter} uses them.
 *
 * @param <T> the Java type
 */
public interface ErlangTypeConverter<T> {

	/** @return the Java type handled (subclasses included) */
	Class<T> type();

	/**
	 * @param value the Java value, never {@code null}
	 * @param converter the converter, for nested values
	 * @return the term
	 */
	OtpErlangObject toErlang(T value, ErlangConverter converter);

	/**
	 * @param term the term
	 * @param converter the converter, for nested values
	 * @return the value
	 * @throws ErlangConversionException when the term does not fit
	 */
	T fromErlang(OtpErlangObject term, ErlangConverter converter);

}
