package io.github.erlangspring.node.dist;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpOutputStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AtomCachingOutput} writes exactly the bytes JInterface's {@link OtpOutputStream} writes,
 * from its cache or not.
 */
class AtomCachingOutputTests {

	@Test
	void writesWhatJInterfaceWritesAgainAndAgain() {
		OtpErlangTuple term = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("$gen_call"),
				new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangPid("a@host", 1, 2, 3),
						new OtpErlangRef("a@host", new int[] { 1, 2, 3 }, 4) }),
				new OtpErlangList(new OtpErlangObject[] { new OtpErlangAtom("ok"), new OtpErlangAtom("héllo"),
						new OtpErlangAtom("日本"), new OtpErlangAtom(""), new OtpErlangPid("b@host", 4, 5, 6) }) });
		for (int i = 0; i < 3; i++) {
			assertThat(ours(term)).isEqualTo(jinterface(term));
		}
	}

	@Test
	void growsPastItsFirstBufferAsJInterfaceDoes() {
		byte[] bytes = new byte[5000];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) i;
		}
		OtpErlangTuple term = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("big"),
				new OtpErlangBinary(bytes), new OtpErlangString("x".repeat(300)), new OtpErlangAtom("end") });
		OtpOutputStream ours = new AtomCachingOutput();
		ours.write_any(term);
		assertThat(ours.size()).isEqualTo(jinterface(term).length);
		assertThat(ours(term)).isEqualTo(jinterface(term));
	}

	@Test
	void integersAndLengthsAtEveryOffsetAreWrittenAsJInterfaceWritesThem() {
		// written one after the other into one stream, so that 2- and 4-byte writes meet the end of
		// the buffer at every offset
		OtpOutputStream ours = new AtomCachingOutput();
		OtpOutputStream theirs = new OtpOutputStream(256);
		for (int i = 0; i < 600; i++) {
			OtpErlangObject term = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangLong(i),
					new OtpErlangLong(-i * 70_001L), new OtpErlangLong(((long) i) << 35), new OtpErlangString("s".repeat(i % 7)),
					new OtpErlangAtom("a".repeat(i % 3)) });
			ours.write_any(term);
			theirs.write_any(term);
			ours.write2BE(i * 131L);
			theirs.write2BE(i * 131L);
			ours.write4BE(i * 7_654_321L);
			theirs.write4BE(i * 7_654_321L);
		}
		assertThat(ours.toByteArray()).isEqualTo(theirs.toByteArray());
	}

	@Test
	void longAtomsAreLeftToJInterface() {
		// 255 characters of two bytes: 510 bytes, an ATOM_UTF8_EXT; 300 characters: truncated by JInterface
		String wide = "é".repeat(255);
		String tooLong = "a".repeat(300);
		for (int i = 0; i < 2; i++) {
			for (String atom : new String[] { wide, tooLong }) {
				OtpOutputStream ours = new AtomCachingOutput();
				ours.write_atom(atom);
				OtpOutputStream theirs = new OtpOutputStream();
				theirs.write_atom(atom);
				assertThat(ours.toByteArray()).isEqualTo(theirs.toByteArray());
			}
		}
	}

	@Test
	void manyAtomsSharingSlotsAreEachWrittenRight() {
		for (int round = 0; round < 2; round++) {
			for (int i = 0; i < 5000; i++) {
				OtpErlangAtom atom = new OtpErlangAtom("atom_" + i);
				assertThat(ours(atom)).isEqualTo(jinterface(atom));
			}
		}
	}

	private static byte[] ours(OtpErlangObject term) {
		OtpOutputStream out = new AtomCachingOutput();
		out.write_any(term);
		return out.toByteArray();
	}

	private static byte[] jinterface(OtpErlangObject term) {
		OtpOutputStream out = new OtpOutputStream();
		out.write_any(term);
		return out.toByteArray();
	}

}
