package io.github.erlangspring.node.dist;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import com.ericsson.otp.erlang.OtpExternal;
import com.ericsson.otp.erlang.OtpOutputStream;

/**
 * JInterface's encoder, except that atoms are written from a cache of their encoded bytes: the
 * node name in every pid and ref, registered names, {@code '$gen_call'}. JInterface encodes each
 * one anew ({@code String.getBytes("UTF-8")}, looking the charset up by name), which was the
 * largest single cost of sending a small message. The bytes written are JInterface's own: a
 * {@code SMALL_ATOM_UTF8_EXT} for the atoms cached, JInterface itself for any other.
 * <p>
 * The cache is shared by all threads: a direct-mapped table of immutable entries, where a race
 * costs a miss, never a wrong atom.
 * <p>
 * A stream is used by one thread, so the methods {@code ByteArrayOutputStream} synchronizes (each
 * atom's bytes, the size, the copy out) do without the lock here: each took an atomic
 * instruction. Two- and four-byte integers check the capacity once, not once per byte.
 */
final class AtomCachingOutput extends OtpOutputStream {

	/** Enough for a small message and its control term without growing. */
	private static final int INITIAL_SIZE = 256;

	private static final int SLOTS = 1024;

	private static final Entry[] CACHE = new Entry[SLOTS];

	AtomCachingOutput() {
		super(INITIAL_SIZE);
	}

	@Override
	public void write_atom(String atom) {
		int slot = (atom.hashCode() ^ (atom.hashCode() >>> 16)) & (SLOTS - 1);
		Entry entry = CACHE[slot];
		if (entry == null || !entry.atom.equals(atom)) {
			entry = Entry.of(atom);
			if (entry == null) {
				super.write_atom(atom);
				return;
			}
			CACHE[slot] = entry;
		}
		write(entry.encoded);
	}

	@Override
	public void write(byte[] bytes) {
		write(bytes, 0, bytes.length);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		ensureCapacity(this.count + length);
		System.arraycopy(bytes, offset, this.buf, this.count, length);
		this.count += length;
	}

	@Override
	public void write(byte b) {
		if (this.count == this.buf.length) {
			ensureCapacity(this.count + 1);
		}
		this.buf[this.count++] = b;
	}

	@Override
	public void write2BE(long n) {
		ensureCapacity(this.count + 2);
		this.buf[this.count++] = (byte) (n >> 8);
		this.buf[this.count++] = (byte) n;
	}

	@Override
	public void write4BE(long n) {
		ensureCapacity(this.count + 4);
		this.buf[this.count++] = (byte) (n >> 24);
		this.buf[this.count++] = (byte) (n >> 16);
		this.buf[this.count++] = (byte) (n >> 8);
		this.buf[this.count++] = (byte) n;
	}

	@Override
	public int size() {
		return this.count;
	}

	@Override
	public byte[] toByteArray() {
		return Arrays.copyOf(this.buf, this.count);
	}

	private static final class Entry {

		final String atom;

		/** tag, length and UTF-8 bytes */
		final byte[] encoded;

		private Entry(String atom, byte[] encoded) {
			this.atom = atom;
			this.encoded = encoded;
		}

		/** @return the entry, or {@code null} for an atom JInterface writes otherwise (too long) */
		static Entry of(String atom) {
			if (atom.length() > OtpExternal.maxAtomLength) {
				return null;
			}
			byte[] utf8 = atom.getBytes(StandardCharsets.UTF_8);
			if (utf8.length >= 256) {
				return null;
			}
			byte[] encoded = new byte[utf8.length + 2];
			encoded[0] = (byte) OtpExternal.smallAtomUtf8Tag;
			encoded[1] = (byte) utf8.length;
			System.arraycopy(utf8, 0, encoded, 2, utf8.length);
			return new Entry(atom, encoded);
		}

	}

}
