package io.github.erlangspring.node.epmd;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Constants and encoding helpers of the EPMD protocol shared by {@link EpmdClient} and
 * {@link EmbeddedEpmd}.
 */
final class EpmdProtocol {

	/** {@code ALIVE2_REQ}: register a node. */
	static final int ALIVE2_REQ = 120;

	/** {@code ALIVE2_X_RESP}: registration result with a 32-bit creation (OTP 23+). */
	static final int ALIVE2_X_RESP = 118;

	/** {@code ALIVE2_RESP}: registration result with a 16-bit creation (before OTP 23). */
	static final int ALIVE2_RESP = 121;

	/** {@code PORT_PLEASE2_REQ}: ask for a node's listen port. */
	static final int PORT_PLEASE2_REQ = 122;

	/** {@code PORT2_RESP}: the answer to {@code PORT_PLEASE2_REQ}. */
	static final int PORT2_RESP = 119;

	/** {@code NAMES_REQ}: list the registered names. */
	static final int NAMES_REQ = 110;

	/** {@code DUMP_REQ}: list registered and previously registered names (debugging). */
	static final int DUMP_REQ = 100;

	/** {@code KILL_REQ}: ask EPMD to terminate. */
	static final int KILL_REQ = 107;

	/** {@code STOP_REQ}: unregister a name. */
	static final int STOP_REQ = 115;

	/** Node type of a hidden node. */
	static final int NODE_TYPE_HIDDEN = 72;

	/** Node type of a normal Erlang node. */
	static final int NODE_TYPE_NORMAL = 77;

	/** Protocol of TCP/IPv4 (the only one defined). */
	static final int PROTOCOL_TCP_IPV4 = 0;

	/** The distribution version of OTP 23 and later, the only one this node speaks. */
	static final int DISTRIBUTION_VERSION = 6;

	/** The most characters a node name may have (an atom's limit), as enforced by epmd. */
	static final int MAX_NAME_CHARACTERS = 255;

	/** The most bytes a UTF-8 node name may have. */
	static final int MAX_NAME_BYTES = MAX_NAME_CHARACTERS * 4;

	/** The creation EPMD sends along with a refused registration. */
	static final int REFUSED_CREATION = 99;

	private EpmdProtocol() {
	}

	/**
	 * Encodes and validates a node name (the part before {@code @}).
	 * @param alive the name
	 * @return its UTF-8 bytes
	 * @throws IllegalArgumentException when EPMD would not accept the name
	 */
	static byte[] encodeName(String alive) {
		if (alive == null || alive.isEmpty()) {
			throw new IllegalArgumentException("Node name must not be empty");
		}
		if (alive.indexOf('\0') >= 0 || alive.indexOf('@') >= 0) {
			throw new IllegalArgumentException(
					"Node name '" + alive + "' must be the part before '@' and must not contain NUL");
		}
		if (alive.codePointCount(0, alive.length()) > MAX_NAME_CHARACTERS) {
			throw new IllegalArgumentException("Node name is longer than " + MAX_NAME_CHARACTERS + " characters");
		}
		try {
			ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.encode(CharBuffer.wrap(alive));
			byte[] bytes = new byte[encoded.remaining()];
			encoded.get(bytes);
			return bytes;
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("Node name '" + alive + "' is not valid Unicode", ex);
		}
	}

	/**
	 * Decodes a node name received on the wire the way epmd validates it: non-empty, strict
	 * UTF-8, no NUL, at most {@value #MAX_NAME_CHARACTERS} characters.
	 * @param bytes the buffer
	 * @param offset where the name starts
	 * @param length how many bytes it has
	 * @return the name, or {@code null} when epmd would reject it
	 */
	static String decodeName(byte[] bytes, int offset, int length) {
		if (length <= 0 || length > MAX_NAME_BYTES) {
			return null;
		}
		for (int i = offset; i < offset + length; i++) {
			if (bytes[i] == 0) {
				return null;
			}
		}
		try {
			String name = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes, offset, length))
				.toString();
			return (name.codePointCount(0, name.length()) <= MAX_NAME_CHARACTERS) ? name : null;
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/**
	 * Frames a request: a 2-byte big-endian length, then the request.
	 * @param request the request, starting with its tag
	 * @return the framed request
	 */
	static byte[] frame(byte[] request) {
		if (request.length > 0xFFFF) {
			throw new IllegalArgumentException("EPMD request too long: " + request.length + " bytes");
		}
		return ByteBuffer.allocate(2 + request.length).putShort((short) request.length).put(request).array();
	}

	/**
	 * Reads a big-endian unsigned 16-bit integer.
	 * @param bytes the buffer
	 * @param offset where the integer starts
	 * @return the value
	 */
	static int uint16(byte[] bytes, int offset) {
		return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
	}

}
