package io.github.erlangspring.node.dist;

import java.nio.ByteBuffer;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangPort;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AtomCachingInput} decodes exactly what JInterface's {@link OtpInputStream} decodes, from
 * its cache or not.
 */
class AtomCachingInputTests {

	private final AtomCachingInput.Atoms atoms = new AtomCachingInput.Atoms();

	@Test
	void decodesPidsRefsAndAtomsAsJInterfaceDoesAgainAndAgain() throws Exception {
		OtpErlangTuple term = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("$gen_call"),
				new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangPid("a@host", 1, 2, 3),
						new OtpErlangRef("a@host", new int[] { 1, 2, 3 }, 4) }),
				new OtpErlangList(new OtpErlangObject[] { new OtpErlangAtom("ok"), new OtpErlangAtom("héllo"),
						new OtpErlangAtom("日本"), new OtpErlangPid("b@host", 4, 5, 6) }) });
		byte[] bytes = encode(term);
		for (int i = 0; i < 3; i++) {
			assertThat(new AtomCachingInput(bytes, 0, bytes.length, this.atoms).read_any()).isEqualTo(term)
				.isEqualTo(new OtpInputStream(bytes, 0).read_any());
		}
	}

	@Test
	void decodesEveryKindOfTermAsJInterfaceDoes() throws Exception {
		java.util.Map<OtpErlangObject, OtpErlangObject> map = new java.util.LinkedHashMap<>();
		OtpErlangObject[] kinds = { new OtpErlangLong(7), new OtpErlangLong(-70_000), new OtpErlangLong(1L << 40),
				new OtpErlangLong(new java.math.BigInteger("123456789012345678901234567890")), new OtpErlangDouble(2.5),
				new OtpErlangBinary(new byte[] { 1, 2, 3 }), new OtpErlangBitstr(new byte[] { 1, (byte) 0xF0 }, 4),
				new OtpErlangString("hello"), new OtpErlangList(), new OtpErlangPid("c@host", 1 << 20, 3, 0x12345678),
				new OtpErlangPort("c@host", 77, 9), new OtpErlangRef("c@host", new int[] { 9, 8, 7 }, 0x01020304) };
		for (int i = 0; i < kinds.length; i++) {
			map.put(new OtpErlangLong(i), kinds[i]);
		}
		OtpErlangObject term = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangList(kinds),
				new OtpErlangMap(map.keySet().toArray(new OtpErlangObject[0]),
						map.values().toArray(new OtpErlangObject[0])) });
		byte[] bytes = encode(term);
		assertThat(new AtomCachingInput(bytes, 0, bytes.length, this.atoms).read_any()).isEqualTo(term)
			.isEqualTo(new OtpInputStream(bytes, 0).read_any());
		// every truncation: the same term or the same exception as JInterface's
		for (int length = 1; length < bytes.length; length++) {
			assertThat(decoded(new AtomCachingInput(bytes, 0, length, this.atoms)))
				.as("first %d bytes", length)
				.isEqualTo(decoded(new OtpInputStream(java.util.Arrays.copyOf(bytes, length), 0)));
		}
	}

	/** @return the term read, or the class of what was thrown */
	private static Object decoded(OtpInputStream input) {
		try {
			return input.read_any();
		}
		catch (Exception ex) {
			return ex.getClass();
		}
	}

	@Test
	void latin1AndUtf8AtomsOfTheSameBytesAreNotConfused() throws Exception {
		// the two bytes C3 A9: "é" in UTF-8 (ATOM_UTF8_EXT), "Ã©" in Latin-1 (ATOM_EXT)
		byte[] utf8 = { (byte) 131, 118, 0, 2, (byte) 0xC3, (byte) 0xA9 };
		byte[] latin1 = { (byte) 131, 100, 0, 2, (byte) 0xC3, (byte) 0xA9 };
		assertThat(new AtomCachingInput(utf8, 0, utf8.length, this.atoms).read_atom()).isEqualTo("é");
		assertThat(new AtomCachingInput(latin1, 0, latin1.length, this.atoms).read_atom()).isEqualTo("Ã©");
		assertThat(new AtomCachingInput(utf8, 0, utf8.length, this.atoms).read_atom()).isEqualTo("é");
	}

	@Test
	void manyAtomsSharingSlotsAreEachDecodedRight() throws Exception {
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 2000; i++) {
				byte[] bytes = encode(new OtpErlangAtom("atom_" + i));
				assertThat(new AtomCachingInput(bytes, 0, bytes.length, this.atoms).read_atom()).isEqualTo("atom_" + i);
			}
		}
	}

	@Test
	void aTruncatedAtomIsLeftToJInterface() {
		byte[] truncated = ByteBuffer.allocate(6).put((byte) 131).put((byte) 118).putShort((short) 10).put((byte) 'a')
			.put((byte) 'b').array();
		assertThat(outcome(new AtomCachingInput(truncated, 0, truncated.length, this.atoms)))
			.isEqualTo(outcome(new OtpInputStream(truncated, 0)));
	}

	/** @return the atom read, or the class of what was thrown */
	private static Object outcome(OtpInputStream input) {
		try {
			return input.read_atom();
		}
		catch (Exception ex) {
			return ex.getClass();
		}
	}

	private static byte[] encode(OtpErlangObject term) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(131);
		out.write_any(term);
		return out.toByteArray();
	}

}
