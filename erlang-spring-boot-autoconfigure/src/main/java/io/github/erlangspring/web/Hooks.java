package io.github.erlangspring.web;

/**
 * The registered names of the web hooks; {@code null} or blank: no such hook.
 *
 * @param onRequest called before the application
 * @param onResponse called after it
 * @param onError called when it throws
 */
public record Hooks(String onRequest, String onResponse, String onError) {

	public Hooks {
		onRequest = blankToNull(onRequest);
		onResponse = blankToNull(onResponse);
		onError = blankToNull(onError);
	}

	/** @return whether no hook is configured */
	public boolean isEmpty() {
		return this.onRequest == null && this.onResponse == null && this.onError == null;
	}

	private static String blankToNull(String name) {
		return (name == null || name.isBlank()) ? null : name.strip();
	}

}
