package io.github.erlangspring.bench;

/**
 * Ids of the ways a scenario is measured. The report computes ratios against {@link #ERLANG} and
 * {@link #JINTERFACE} of the same scenario and concurrency, whenever a scenario has them.
 */
public final class Variants {

	/** The reference: the same thing done between two Erlang nodes. */
	public static final String ERLANG = "erlang";

	/** The same thing done with plain JInterface ({@code OtpNode}/{@code OtpMbox}). */
	public static final String JINTERFACE = "jinterface";

	/** The same thing done with this project's {@code ErlangNode}. */
	public static final String ESB = "esb";

	private Variants() {
	}

}
