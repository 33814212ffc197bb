package io.github.erlangspring.convert;

import io.github.erlangspring.node.ErlangException;

/**
 * A value could not be converted between Java and Erlang. The message names where in the value
 * the problem is, e.g. {@code user.email: expected a binary or string, got 42}.
 */
public class ErlangConversionException extends ErlangException {

	private final String path;

	private final String problem;

	public ErlangConversionException(String path, String problem) {
		super(path.isEmpty() ? problem : path + ": " + problem);
		this.path = path;
		this.problem = problem;
	}

	/**
	 * @param parent where the converted value itself is
	 * @return the same problem with its path under {@code parent}
	 */
	public ErlangConversionException under(String parent) {
		if (parent == null || parent.isEmpty()) {
			return this;
		}
		return new ErlangConversionException(this.path.isEmpty() ? parent : parent + "." + this.path, this.problem);
	}

	/** @return the problem, without the path */
	public String getProblem() {
		return this.problem;
	}

	/** @return where in the value conversion failed ({@code ""} for the value itself) */
	public String getPath() {
		return this.path;
	}

}
