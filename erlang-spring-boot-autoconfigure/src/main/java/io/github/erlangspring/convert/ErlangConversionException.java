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
		return within(parent);
	}

	/**
	 * @param step one step further out: a name ({@code email}), an index ({@code [0]}) or a key
	 * ({@code [key]})
	 * @return the same problem with {@code step} in front of its path ({@code members} and
	 * {@code [0].email} make {@code members[0].email}), thrown from where the problem was found
	 */
	ErlangConversionException within(String step) {
		String joined = this.path.isEmpty() ? step
				: (this.path.charAt(0) == '[') ? step + this.path : step + "." + this.path;
		ErlangConversionException outer = new ErlangConversionException(joined, this.problem);
		outer.setStackTrace(getStackTrace());
		return outer;
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
