package io.github.erlangspring.convert;

import java.util.Objects;

/**
 * An Erlang atom as a Java value: converts to and from an atom, where a {@link String} would
 * become a binary.
 *
 * @param name the atom's text
 */
public record Atom(String name) {

	public Atom {
		Objects.requireNonNull(name, "name");
	}

	/**
	 * @param name the atom's text
	 * @return the atom
	 */
	public static Atom of(String name) {
		return new Atom(name);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
