package io.github.erlangspring.autoconfigure;

/**
 * The node could not start because of its configuration or environment; carries what a
 * {@link ErlangNodeFailureAnalyzer} tells the user.
 */
public class ErlangNodeStartException extends RuntimeException {

	private final String action;

	public ErlangNodeStartException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	/** @return what the user should do */
	public String getAction() {
		return this.action;
	}

}
