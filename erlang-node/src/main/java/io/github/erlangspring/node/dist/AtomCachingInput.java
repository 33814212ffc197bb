package io.github.erlangspring.node.dist;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpExternal;
import com.ericsson.otp.erlang.OtpInputStream;

/**
 * JInterface's decoder, except that atoms come from a small cache of the atoms one connection
 * has seen: the node names in every pid and reference, {@code '$gen_call'}, {@code ok}. JInterface
 * builds a new {@code String} for each (looking its charset up by name), which was the largest
 * single cost of decoding a call. The cache belongs to one connection and is used by its reader
 * only, one frame at a time.
 * <p>
 * A stream is read by one thread, so the reads {@code ByteArrayInputStream} synchronizes (a lock
 * per byte of every tag and length) do without the lock here, and fixed-size integers are read
 * without JInterface's array per integer. What they return, and when they throw, is unchanged.
 */
final class AtomCachingInput extends OtpInputStream {

	private static final int VERSION = 131;

	private final Atoms atoms;

	AtomCachingInput(byte[] frame, int offset, int length, Atoms atoms) {
		super(frame, offset, length, 0);
		this.atoms = atoms;
	}

	@Override
	public int read1() throws OtpErlangDecodeException {
		if (this.pos >= this.count) {
			throw new OtpErlangDecodeException("Cannot read from input stream");
		}
		return this.buf[this.pos++] & 0xFF;
	}

	@Override
	public int read2BE() throws OtpErlangDecodeException {
		if (this.count - this.pos < 2) {
			return super.read2BE();
		}
		int at = this.pos;
		this.pos = at + 2;
		return ((this.buf[at] & 0xFF) << 8) | (this.buf[at + 1] & 0xFF);
	}

	@Override
	public int read4BE() throws OtpErlangDecodeException {
		if (this.count - this.pos < 4) {
			return super.read4BE();
		}
		int at = this.pos;
		this.pos = at + 4;
		return ((this.buf[at] & 0xFF) << 24) | ((this.buf[at + 1] & 0xFF) << 16) | ((this.buf[at + 2] & 0xFF) << 8)
				| (this.buf[at + 3] & 0xFF);
	}

	@Override
	public int read(byte[] bytes, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, bytes.length);
		if (this.pos >= this.count) {
			return -1;
		}
		int n = Math.min(length, this.count - this.pos);
		if (n <= 0) {
			return 0;
		}
		System.arraycopy(this.buf, this.pos, bytes, offset, n);
		this.pos += n;
		return n;
	}

	@Override
	public int available() {
		return this.count - this.pos;
	}

	@Override
	public String read_atom() throws OtpErlangDecodeException {
		int at = this.pos;
		if (at < this.count && (this.buf[at] & 0xFF) == VERSION) {
			at++;
		}
		if (at + 2 >= this.count) {
			return super.read_atom();
		}
		int tag = this.buf[at] & 0xFF;
		int length;
		int start;
		switch (tag) {
			case OtpExternal.atomTag, OtpExternal.atomUtf8Tag -> {
				length = ((this.buf[at + 1] & 0xFF) << 8) | (this.buf[at + 2] & 0xFF);
				start = at + 3;
			}
			case OtpExternal.smallAtomUtf8Tag -> {
				length = this.buf[at + 1] & 0xFF;
				start = at + 2;
			}
			default -> {
				return super.read_atom();
			}
		}
		if (length > OtpExternal.maxAtomLength || start + length > this.count) {
			// too long or truncated: JInterface's own answer (truncation or an exception)
			return super.read_atom();
		}
		String atom = this.atoms.get(this.buf, start, length, tag == OtpExternal.atomTag);
		this.pos = start + length;
		return atom;
	}

	/** The atoms of one connection: direct-mapped by a hash of their bytes, 256 entries. */
	static final class Atoms {

		private static final int SIZE = 256;

		private final byte[][] bytes = new byte[SIZE][];

		private final boolean[] latin1 = new boolean[SIZE];

		private final String[] strings = new String[SIZE];

		String get(byte[] buf, int start, int length, boolean isLatin1) {
			int hash = length;
			for (int i = start; i < start + length; i++) {
				hash = 31 * hash + buf[i];
			}
			int slot = (hash ^ (hash >>> 8)) & (SIZE - 1);
			byte[] known = this.bytes[slot];
			if (known != null && this.latin1[slot] == isLatin1
					&& Arrays.equals(known, 0, known.length, buf, start, start + length)) {
				return this.strings[slot];
			}
			String atom = new String(buf, start, length,
					isLatin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
			this.bytes[slot] = Arrays.copyOfRange(buf, start, start + length);
			this.latin1[slot] = isLatin1;
			this.strings[slot] = atom;
			return atom;
		}

	}

}
