package io.github.erlangspring.node.dist;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.function.BooleanSupplier;

/**
 * The distribution handshake, version 6 (OTP 23 and later), both ways: as in kernel's
 * {@code dist_util.erl}. Messages carry a 2-byte length; the connection then switches to 4-byte
 * framing.
 */
public final class Handshake {

	private static final SecureRandom random = new SecureRandom();

	private static final int MAX_MESSAGE = 1024;

	private Handshake() {
	}

	/**
	 * The peer as established by a successful handshake.
	 * @param name the peer's node name
	 * @param flags the peer's distribution flags (expanded)
	 * @param creation the peer's creation
	 */
	public record Peer(String name, long flags, int creation) {

		/** @return whether the peer is a hidden node */
		public boolean hidden() {
			return (this.flags & DistFlags.PUBLISHED) == 0;
		}

	}

	/** What the accepting side answers a peer's name with (its status message). */
	public enum Admission {

		/** Go ahead. */
		OK("ok"),
		/** We were connecting to the peer too and let its attempt win. */
		OK_SIMULTANEOUS("ok_simultaneous"),
		/** We were connecting to the peer too and our attempt wins: this one is refused. */
		NOK("nok"),
		/** We already have a connection to that node: the peer must confirm its new attempt. */
		ALIVE("alive"),
		/** The peer is not allowed to connect. */
		NOT_ALLOWED("not_allowed");

		private final String status;

		Admission(String status) {
			this.status = status;
		}

	}

	/** Decides, on the accepting side, what to answer a connecting peer's name. */
	@FunctionalInterface
	public interface Admitter {

		Admission admit(String peerName, long peerFlags);

	}

	/**
	 * Runs the connecting side of the handshake.
	 * @param in the socket input
	 * @param out the socket output
	 * @param self who we are
	 * @param expectedPeer the node we meant to reach
	 * @return the peer
	 * @throws HandshakeException when the peer refuses us or fails authentication
	 * @throws IOException on I/O errors
	 */
	public static Peer connect(InputStream in, OutputStream out, LocalIdentity self, String expectedPeer)
			throws IOException {
		return connect(in, out, self, expectedPeer, () -> true);
	}

	/**
	 * Runs the connecting side of the handshake.
	 * @param in the socket input
	 * @param out the socket output
	 * @param self who we are
	 * @param expectedPeer the node we meant to reach
	 * @param stillPending asked when the peer answers {@code alive} (it believes it is connected
	 * to us): whether this attempt is still the one to set up the connection, as
	 * {@code dist_util}'s {@code is_pending}; {@code false} withdraws it
	 * @return the peer
	 * @throws HandshakeException when the peer refuses us or fails authentication
	 * @throws IOException on I/O errors
	 */
	public static Peer connect(InputStream in, OutputStream out, LocalIdentity self, String expectedPeer,
			BooleanSupplier stillPending) throws IOException {
		return connect(in, out, self, expectedPeer, stillPending, false);
	}

	/**
	 * Runs the connecting side of the handshake.
	 * @param in the socket input
	 * @param out the socket output
	 * @param self who we are
	 * @param expectedPeer the node we meant to reach
	 * @param stillPending see {@link #connect(InputStream, OutputStream, LocalIdentity, String, BooleanSupplier)}
	 * @param tls whether this runs inside TLS, where OTP's {@code inet_tls_dist} frames handshake
	 * messages with a 4-byte length (plain TCP uses 2 bytes)
	 * @return the peer
	 * @throws HandshakeException when the peer refuses us or fails authentication
	 * @throws IOException on I/O errors
	 */
	public static Peer connect(InputStream in, OutputStream out, LocalIdentity self, String expectedPeer,
			BooleanSupplier stillPending, boolean tls) throws IOException {
		DataInputStream input = new FramedInput(in, tls);
		DataOutputStream output = new FramedOutput(out, tls);
		sendName(output, self);
		String status = readStatus(input, expectedPeer);
		switch (status) {
			case "ok", "ok_simultaneous" -> {
			}
			case "alive" -> {
				boolean pending = stillPending.getAsBoolean();
				writeMessage(output, statusBytes(Boolean.toString(pending)));
				if (!pending) {
					throw new HandshakeException("connection to " + expectedPeer + " set up by another attempt",
							HandshakeException.Kind.SIMULTANEOUS_LOST);
				}
			}
			case "nok" -> throw new HandshakeException("simultaneous connect to " + expectedPeer + " lost to its own",
					HandshakeException.Kind.SIMULTANEOUS_LOST);
			case "not_allowed" -> throw new HandshakeException(expectedPeer + " does not allow us to connect");
			default -> throw new HandshakeException("unexpected handshake status '" + status + "' from " + expectedPeer);
		}
		DataInputStream challengeMsg = readMessage(input, expectedPeer);
		int tag = challengeMsg.readUnsignedByte();
		if (tag != 'N') {
			throw new HandshakeException("expected a version 6 challenge from " + expectedPeer + ", got tag " + tag);
		}
		long peerFlags = DistFlags.expand(challengeMsg.readLong());
		int challenge = challengeMsg.readInt();
		int peerCreation = challengeMsg.readInt();
		String peerName = readName(challengeMsg);
		if (!peerName.equals(expectedPeer)) {
			throw new HandshakeException("connected to " + peerName + " while expecting " + expectedPeer);
		}
		checkFlags(peerName, peerFlags);
		int ourChallenge = random.nextInt();
		byte[] reply = new byte[1 + 4 + 16];
		reply[0] = 'r';
		putInt(reply, 1, ourChallenge);
		System.arraycopy(self.digest(challenge), 0, reply, 5, 16);
		writeMessage(output, reply);
		DataInputStream ack = readMessage(input, expectedPeer, true);
		if (ack.readUnsignedByte() != 'a') {
			throw new HandshakeException("expected a challenge ack from " + expectedPeer);
		}
		byte[] digest = new byte[16];
		ack.readFully(digest);
		if (!self.digestMatches(ourChallenge, digest)) {
			throw new HandshakeException(
					"connection to " + expectedPeer + " refused: its cookie differs from ours (challenge ack mismatch)",
					true);
		}
		return new Peer(peerName, peerFlags, peerCreation);
	}

	/**
	 * Runs the accepting side of the handshake.
	 * @param in the socket input
	 * @param out the socket output
	 * @param self who we are
	 * @param admitter decides on simultaneous and repeated connections
	 * @return the peer
	 * @throws HandshakeException when the peer is refused or fails authentication
	 * @throws IOException on I/O errors
	 */
	public static Peer accept(InputStream in, OutputStream out, LocalIdentity self, Admitter admitter)
			throws IOException {
		return accept(in, out, self, admitter, false);
	}

	/**
	 * Runs the accepting side of the handshake.
	 * @param in the socket input
	 * @param out the socket output
	 * @param self who we are
	 * @param admitter decides on simultaneous and repeated connections
	 * @param tls whether this runs inside TLS (4-byte message lengths, as {@code inet_tls_dist})
	 * @return the peer
	 * @throws HandshakeException when the peer is refused or fails authentication
	 * @throws IOException on I/O errors
	 */
	public static Peer accept(InputStream in, OutputStream out, LocalIdentity self, Admitter admitter, boolean tls)
			throws IOException {
		DataInputStream input = new FramedInput(in, tls);
		DataOutputStream output = new FramedOutput(out, tls);
		DataInputStream nameMsg = readMessage(input, "incoming peer");
		int tag = nameMsg.readUnsignedByte();
		if (tag != 'N') {
			throw new HandshakeException("incoming peer uses handshake tag " + tag
					+ "; only version 6 (OTP 23 and later) is supported");
		}
		long peerFlags = DistFlags.expand(nameMsg.readLong());
		int peerCreation = nameMsg.readInt();
		String peerName = readName(nameMsg);
		if (!isValidNodeName(peerName) || peerName.equals(self.nodeName())) {
			throw new HandshakeException("incoming peer sent an invalid node name '" + printable(peerName) + "'");
		}
		checkFlags(peerName, peerFlags);
		Admission admission = admitter.admit(peerName, peerFlags);
		writeMessage(output, statusBytes(admission.status));
		switch (admission) {
			case NOK, NOT_ALLOWED -> throw new HandshakeException("connection from " + peerName + " refused ("
					+ admission.status + ")");
			case ALIVE -> {
				String answer = readStatus(input, peerName);
				if (!"true".equals(answer)) {
					throw new HandshakeException(peerName + " withdrew its connection attempt");
				}
			}
			default -> {
			}
		}
		int ourChallenge = random.nextInt();
		byte[] nameBytes = self.nodeName().getBytes(StandardCharsets.UTF_8);
		byte[] challenge = new byte[1 + 8 + 4 + 4 + 2 + nameBytes.length];
		challenge[0] = 'N';
		putLong(challenge, 1, self.flags());
		putInt(challenge, 9, ourChallenge);
		putInt(challenge, 13, self.creation());
		challenge[17] = (byte) (nameBytes.length >> 8);
		challenge[18] = (byte) nameBytes.length;
		System.arraycopy(nameBytes, 0, challenge, 19, nameBytes.length);
		writeMessage(output, challenge);
		DataInputStream reply = readMessage(input, peerName, true);
		if (reply.readUnsignedByte() != 'r') {
			throw new HandshakeException("expected a challenge reply from " + peerName);
		}
		int peerChallenge = reply.readInt();
		byte[] digest = new byte[16];
		reply.readFully(digest);
		if (!self.digestMatches(ourChallenge, digest)) {
			throw new HandshakeException(
					"connection attempt from " + peerName + " refused: invalid challenge reply (wrong cookie)", true);
		}
		byte[] ack = new byte[17];
		ack[0] = 'a';
		System.arraycopy(self.digest(peerChallenge), 0, ack, 1, 16);
		writeMessage(output, ack);
		return new Peer(peerName, peerFlags, peerCreation);
	}

	/**
	 * Whether a peer's node name is valid, as {@code dist_util:is_name_ok/2} decides for a
	 * static name (exactly one {@code @}, with text on both sides), and it fits an atom (255
	 * characters) with no control characters (which OTP allows but which have no place in logs).
	 * @param name the name a peer sent
	 * @return whether it is acceptable
	 */
	public static boolean isValidNodeName(String name) {
		int at = name.indexOf('@');
		if (at <= 0 || at == name.length() - 1 || name.indexOf('@', at + 1) >= 0
				|| name.codePointCount(0, name.length()) > 255) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			if (c < 0x20 || c == 0x7F || c == '\uFFFD' || Character.isISOControl(c)) {
				return false;
			}
		}
		return true;
	}

	/** @return {@code text} for a log line: control characters escaped, at most 100 characters */
	static String printable(String text) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i < text.length() && out.length() < 100; i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c == 0x7F || Character.isISOControl(c)) {
				out.append(String.format("\\x%02x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		return (out.length() >= 100) ? out + "..." : out.toString();
	}

	private static void sendName(DataOutputStream output, LocalIdentity self) throws IOException {
		byte[] name = self.nodeName().getBytes(StandardCharsets.UTF_8);
		byte[] msg = new byte[1 + 8 + 4 + 2 + name.length];
		msg[0] = 'N';
		putLong(msg, 1, self.flags());
		putInt(msg, 9, self.creation());
		msg[13] = (byte) (name.length >> 8);
		msg[14] = (byte) name.length;
		System.arraycopy(name, 0, msg, 15, name.length);
		writeMessage(output, msg);
	}

	private static void checkFlags(String peer, long flags) throws HandshakeException {
		long missing = DistFlags.REQUIRED & ~flags;
		if (missing != 0) {
			throw new HandshakeException(peer + " lacks required distribution capabilities (flags 0x"
					+ Long.toHexString(missing) + "); OTP 23 or later is required");
		}
	}

	private static String readStatus(DataInputStream input, String peer) throws IOException {
		DataInputStream msg = readMessage(input, peer);
		if (msg.readUnsignedByte() != 's') {
			throw new HandshakeException("expected a status message from " + peer);
		}
		return new String(msg.readAllBytes(), StandardCharsets.ISO_8859_1);
	}

	private static String readName(DataInputStream msg) throws IOException {
		int length = msg.readUnsignedShort();
		byte[] name = new byte[length];
		msg.readFully(name);
		return new String(name, StandardCharsets.UTF_8);
	}

	private static DataInputStream readMessage(DataInputStream input, String peer) throws IOException {
		return readMessage(input, peer, false);
	}

	private static DataInputStream readMessage(DataInputStream input, String peer, boolean authStep)
			throws IOException {
		int length;
		try {
			length = (input instanceof FramedInput framed && framed.wide) ? input.readInt() : input.readUnsignedShort();
		}
		catch (java.io.EOFException ex) {
			// OTP closes the socket without a word when our cookie is wrong.
			throw new HandshakeException(peer + " closed the connection during the handshake"
					+ (authStep ? " (most likely the cookies differ)" : ""), authStep);
		}
		if (length == 0 || length > MAX_MESSAGE) {
			throw new HandshakeException("invalid handshake message length " + length + " from " + peer);
		}
		byte[] body = new byte[length];
		input.readFully(body);
		return new DataInputStream(new java.io.ByteArrayInputStream(body));
	}

	private static void writeMessage(DataOutputStream output, byte[] body) throws IOException {
		if (output instanceof FramedOutput framed && framed.wide) {
			output.writeInt(body.length);
		}
		else {
			output.writeShort(body.length);
		}
		output.write(body);
		output.flush();
	}

	/** Input whose handshake messages carry a 2-byte (TCP) or 4-byte (TLS) length. */
	private static final class FramedInput extends DataInputStream {

		final boolean wide;

		FramedInput(InputStream in, boolean wide) {
			super(in);
			this.wide = wide;
		}

	}

	/** Output whose handshake messages carry a 2-byte (TCP) or 4-byte (TLS) length. */
	private static final class FramedOutput extends DataOutputStream {

		final boolean wide;

		FramedOutput(OutputStream out, boolean wide) {
			super(out);
			this.wide = wide;
		}

	}

	private static byte[] statusBytes(String status) {
		byte[] text = status.getBytes(StandardCharsets.ISO_8859_1);
		byte[] msg = new byte[text.length + 1];
		msg[0] = 's';
		System.arraycopy(text, 0, msg, 1, text.length);
		return msg;
	}

	private static void putInt(byte[] buf, int at, int value) {
		buf[at] = (byte) (value >>> 24);
		buf[at + 1] = (byte) (value >>> 16);
		buf[at + 2] = (byte) (value >>> 8);
		buf[at + 3] = (byte) value;
	}

	private static void putLong(byte[] buf, int at, long value) {
		putInt(buf, at, (int) (value >>> 32));
		putInt(buf, at + 4, (int) value);
	}

}
