package io.github.erlangspring.node.dist;

/**
 * Checks the terms of a frame before JInterface decodes them, so that what a peer claims cannot
 * make this node allocate more than the frame holds, and atoms are refused where Erlang refuses
 * them.
 * <p>
 * JInterface trusts lengths: a 10-byte term claiming a 1.5 GB binary allocates 1.5 GB (and is
 * delivered zero-padded), a list or tuple claiming 2<sup>31</sup> elements allocates the array
 * first, atoms longer than 255 characters are silently truncated and invalid UTF-8 is replaced.
 * Erlang's decoder ({@code binary_to_term}, the distribution) refuses all of these. The check is
 * one pass without recursion: it counts the terms still to come, each of which takes at least
 * one byte, so no count can exceed the bytes left.
 */
final class ExternalTermBounds {

	private static final int VERSION = 131;

	private static final int MAX_ATOM_CHARACTERS = 255;

	/** Erlang's largest integer: {@code BIG_ARITY_MAX} (2<sup>19</sup> - 1) 64-bit words. */
	private static final long MAX_BIG_BYTES = ((1L << 19) - 1) * 8;

	/** Map pairs in one frame from which atom keys are checked for colliding hashes. */
	private static final long MAP_PAIRS_CHECKED = 256;

	/** Distinct atoms of one frame that may share a {@code String} hash. */
	private static final int MAX_COLLIDING_ATOMS = 32;

	private ExternalTermBounds() {
	}

	/**
	 * Checks one or more terms, each with its version byte, filling {@code frame[offset, end)}.
	 * @throws DistConnection.ProtocolViolation when a term is malformed or claims more than is
	 * there
	 */
	static void check(byte[] frame, int offset, int end) throws DistConnection.ProtocolViolation {
		long[] mapPairs = new long[1];
		int pos = offset;
		while (pos < end) {
			if ((frame[pos] & 0xFF) != VERSION) {
				throw violation("term without version byte at " + pos);
			}
			pos = checkTerm(frame, pos + 1, end, mapPairs, null);
		}
		if (mapPairs[0] >= MAP_PAIRS_CHECKED) {
			checkAtomHashes(frame, offset, end);
		}
	}

	/**
	 * JInterface decodes maps into hash maps, and hashes an atom as its {@code String}: atoms
	 * made to collide ("Aa" and "BB" have the same hash) make decoding a large map quadratic.
	 * Distinct atoms with the same hash are rare by chance, so a frame with many is refused.
	 */
	private static void checkAtomHashes(byte[] frame, int offset, int end) throws DistConnection.ProtocolViolation {
		java.util.Map<Integer, java.util.Set<String>> byHash = new java.util.HashMap<>();
		AtomVisitor visitor = (b, at) -> {
			String atom = atomText(b, at);
			java.util.Set<String> same = byHash.computeIfAbsent(atom.hashCode(), (hash) -> new java.util.HashSet<>());
			if (same.add(atom) && same.size() > MAX_COLLIDING_ATOMS) {
				throw violation("more than " + MAX_COLLIDING_ATOMS + " distinct atoms with the same hash "
						+ "(a hash flooding attempt)");
			}
		};
		int pos = offset;
		while (pos < end) {
			pos = checkTerm(frame, pos + 1, end, new long[1], visitor);
		}
	}

	@FunctionalInterface
	private interface AtomVisitor {

		void atom(byte[] b, int at) throws DistConnection.ProtocolViolation;

	}

	private static String atomText(byte[] b, int at) {
		int tag = b[at] & 0xFF;
		boolean wide = tag == 100 || tag == 118;
		int length = wide ? (((b[at + 1] & 0xFF) << 8) | (b[at + 2] & 0xFF)) : (b[at + 1] & 0xFF);
		int pos = at + (wide ? 3 : 2);
		boolean latin1 = tag == 100 || tag == 115;
		return new String(b, pos, length,
				latin1 ? java.nio.charset.StandardCharsets.ISO_8859_1 : java.nio.charset.StandardCharsets.UTF_8);
	}

	private static int checkTerm(byte[] b, int start, int end, long[] mapPairs, AtomVisitor atoms)
			throws DistConnection.ProtocolViolation {
		int pos = start;
		long pending = 1;
		while (pending > 0) {
			need(b, pos, 1, end);
			int tag = b[pos++] & 0xFF;
			pending--;
			long children = 0;
			switch (tag) {
				case 97 -> pos = skip(pos, 1, end); // SMALL_INTEGER_EXT
				case 98 -> pos = skip(pos, 4, end); // INTEGER_EXT
				case 99 -> pos = skip(pos, 31, end); // FLOAT_EXT
				case 70 -> { // NEW_FLOAT_EXT: Erlang has no NaN or infinity
					need(b, pos, 8, end);
					if (((b[pos] & 0x7F) == 0x7F) && ((b[pos + 1] & 0xF0) == 0xF0)) {
						throw violation("float that is not finite");
					}
					pos += 8;
				}
				case 100, 115, 118, 119 -> {
					int at = pos - 1;
					pos = atom(b, at, end);
					if (atoms != null) {
						atoms.atom(b, at);
					}
				}
				case 106 -> { // NIL_EXT
				}
				case 107 -> pos = skip(pos + 2, u16(b, pos, end), end); // STRING_EXT
				case 108 -> { // LIST_EXT: elements and tail
					children = u32(b, pos, end) + 1;
					pos += 4;
				}
				case 104 -> { // SMALL_TUPLE_EXT
					children = u8(b, pos, end);
					pos += 1;
				}
				case 105 -> { // LARGE_TUPLE_EXT
					children = u32(b, pos, end);
					pos += 4;
				}
				case 116 -> { // MAP_EXT
					long pairs = u32(b, pos, end);
					mapPairs[0] += pairs;
					children = 2 * pairs;
					pos += 4;
				}
				case 109 -> pos = skip(pos + 4, u32(b, pos, end), end); // BINARY_EXT
				case 77 -> pos = skip(pos + 5, u32(b, pos, end), end); // BIT_BINARY_EXT
				case 110 -> pos = skip(pos + 2, u8(b, pos, end), end); // SMALL_BIG_EXT
				case 111 -> { // LARGE_BIG_EXT, refused past Erlang's largest integer as Erlang does
					long bytes = u32(b, pos, end);
					if (bytes > MAX_BIG_BYTES) {
						throw violation("integer of " + bytes + " bytes (Erlang's limit is " + MAX_BIG_BYTES + ")");
					}
					pos = skip(pos + 5, bytes, end);
				}
				case 103 -> pos = skip(atom(b, pos, end), 9, end); // PID_EXT
				case 88 -> pos = skip(atom(b, pos, end), 12, end); // NEW_PID_EXT
				case 102 -> pos = skip(atom(b, pos, end), 5, end); // PORT_EXT
				case 89 -> pos = skip(atom(b, pos, end), 8, end); // NEW_PORT_EXT
				case 120 -> pos = skip(atom(b, pos, end), 12, end); // V4_PORT_EXT
				case 101 -> pos = skip(atom(b, pos, end), 5, end); // REFERENCE_EXT
				case 114, 90 -> { // NEW_REFERENCE_EXT, NEWER_REFERENCE_EXT
					long ids = u16(b, pos, end);
					pos = atom(b, pos + 2, end);
					pos = skip(pos, ((tag == 114) ? 1 : 4) + 4 * ids, end);
				}
				case 113 -> children = 3; // EXPORT_EXT: module, function, arity
				case 112 -> { // NEW_FUN_EXT: Size, Arity, Uniq, Index, NumFree, then terms
					need(b, pos, 29, end);
					children = 4 + u32(b, pos + 25, end);
					pos += 29;
				}
				case 117 -> { // FUN_EXT: NumFree, then pid, module, index, uniq and free variables
					children = 4 + u32(b, pos, end);
					pos += 4;
				}
				default -> throw violation("unexpected term tag " + tag + " at " + (pos - 1));
			}
			pending += children;
			// every term still to come takes a byte at least
			if (pending > end - pos) {
				throw violation("term claims " + pending + " more elements than the " + (end - pos)
						+ " bytes left can hold");
			}
		}
		return pos;
	}

	/** Checks the atom whose tag is at {@code at}; returns where it ends. */
	private static int atom(byte[] b, int at, int end) throws DistConnection.ProtocolViolation {
		need(b, at, 1, end);
		int tag = b[at] & 0xFF;
		int pos = at + 1;
		int length;
		switch (tag) {
			case 100, 118 -> {
				length = (int) u16(b, pos, end);
				pos += 2;
			}
			case 115, 119 -> {
				length = (int) u8(b, pos, end);
				pos += 1;
			}
			default -> throw violation("expected an atom at " + at + ", found tag " + tag);
		}
		need(b, pos, length, end);
		boolean latin1 = tag == 100 || tag == 115;
		int characters = latin1 ? length : utf8Characters(b, pos, length);
		if (characters > MAX_ATOM_CHARACTERS) {
			throw violation("atom of " + characters + " characters (the limit is " + MAX_ATOM_CHARACTERS + ")");
		}
		return pos + length;
	}

	/** @return the number of code points of well-formed UTF-8 */
	private static int utf8Characters(byte[] b, int pos, int length) throws DistConnection.ProtocolViolation {
		int i = pos;
		int end = pos + length;
		// ASCII, as nearly every atom is: one character a byte
		while (i < end && b[i] >= 0) {
			i++;
		}
		int characters = i - pos;
		while (i < end) {
			int lead = b[i] & 0xFF;
			int extra;
			int min;
			if (lead < 0x80) {
				extra = 0;
				min = 0;
			}
			else if (lead >= 0xC2 && lead <= 0xDF) {
				extra = 1;
				min = 0x80;
			}
			else if (lead >= 0xE0 && lead <= 0xEF) {
				extra = 2;
				min = 0x800;
			}
			else if (lead >= 0xF0 && lead <= 0xF4) {
				extra = 3;
				min = 0x10000;
			}
			else {
				throw violation("atom is not valid UTF-8");
			}
			int codePoint = lead & (0x7F >> extra);
			for (int k = 1; k <= extra; k++) {
				if (i + k >= end || (b[i + k] & 0xC0) != 0x80) {
					throw violation("atom is not valid UTF-8");
				}
				codePoint = (codePoint << 6) | (b[i + k] & 0x3F);
			}
			if (codePoint < min || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF)) {
				throw violation("atom is not valid UTF-8");
			}
			i += extra + 1;
			characters++;
		}
		return characters;
	}

	private static long u8(byte[] b, int pos, int end) throws DistConnection.ProtocolViolation {
		need(b, pos, 1, end);
		return b[pos] & 0xFF;
	}

	private static long u16(byte[] b, int pos, int end) throws DistConnection.ProtocolViolation {
		need(b, pos, 2, end);
		return ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
	}

	private static long u32(byte[] b, int pos, int end) throws DistConnection.ProtocolViolation {
		need(b, pos, 4, end);
		return ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8)
				| (b[pos + 3] & 0xFF);
	}

	private static int skip(int pos, long bytes, int end) throws DistConnection.ProtocolViolation {
		if (bytes > end - (long) pos) {
			throw violation("term claims " + bytes + " bytes at " + pos + " but the frame ends at " + end);
		}
		return (int) (pos + bytes);
	}

	private static void need(byte[] b, int pos, long bytes, int end) throws DistConnection.ProtocolViolation {
		if (pos < 0 || bytes > end - (long) pos) {
			throw violation("truncated term at " + pos);
		}
	}

	private static DistConnection.ProtocolViolation violation(String message) {
		return new DistConnection.ProtocolViolation(message);
	}

}
