package io.github.erlangspring.node.dist;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Who this node is in a handshake: its name, creation, flags, and the cookie (held as bytes, and
 * never printed).
 */
public final class LocalIdentity {

	private final String nodeName;

	private final int creation;

	private final long flags;

	private final byte[] cookie;

	public LocalIdentity(String nodeName, int creation, long flags, String cookie) {
		this.nodeName = nodeName;
		this.creation = creation;
		this.flags = flags;
		this.cookie = cookie.getBytes(StandardCharsets.ISO_8859_1);
	}

	public String nodeName() {
		return this.nodeName;
	}

	public int creation() {
		return this.creation;
	}

	public long flags() {
		return this.flags;
	}

	/** The MD5 digest OTP computes: {@code md5(Cookie ++ integer_to_list(Challenge))}. */
	byte[] digest(int challenge) {
		try {
			MessageDigest md5 = MessageDigest.getInstance("MD5");
			md5.update(this.cookie);
			md5.update(Long.toString(challenge & 0xFFFFFFFFL).getBytes(StandardCharsets.ISO_8859_1));
			return md5.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	boolean digestMatches(int challenge, byte[] digest) {
		return MessageDigest.isEqual(digest(challenge), digest);
	}

	@Override
	public String toString() {
		return "LocalIdentity[" + this.nodeName + ", creation " + this.creation + "]";
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof LocalIdentity that && this.nodeName.equals(that.nodeName)
				&& this.creation == that.creation && Arrays.equals(this.cookie, that.cookie);
	}

	@Override
	public int hashCode() {
		return this.nodeName.hashCode() * 31 + this.creation;
	}

}
