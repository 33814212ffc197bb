package io.github.erlangspring.node.dist;

import java.nio.ByteBuffer;
import java.util.Arrays;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpOutputStream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bounds a frame's terms are checked against before decoding, without a peer: well-formed
 * terms pass, and no length a term claims may exceed the bytes the frame holds.
 */
class ExternalTermBoundsTests {

	private static byte[] encode(OtpErlangObject term) {
		OtpOutputStream out = new OtpOutputStream();
		out.write(131);
		out.write_any(term);
		return out.toByteArray();
	}

	private static void check(byte[] frame) throws DistConnection.ProtocolViolation {
		ExternalTermBounds.check(frame, 0, frame.length);
	}

	@Test
	void wellFormedTermsPass() {
		OtpErlangObject term = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("ok"),
				new OtpErlangBinary(new byte[100]), new OtpErlangList(new OtpErlangObject[] { new OtpErlangLong(1),
						new OtpErlangLong(Long.MAX_VALUE) }) });
		byte[] one = encode(term);
		byte[] two = Arrays.copyOf(one, one.length * 2);
		System.arraycopy(one, 0, two, one.length, one.length);
		assertThatCode(() -> check(one)).doesNotThrowAnyException();
		assertThatCode(() -> check(two)).as("two terms in a row").doesNotThrowAnyException();
	}

	@Test
	void aTermWithoutItsVersionByteIsRefused() {
		byte[] frame = encode(new OtpErlangAtom("ok"));
		frame[0] = 0;
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(frame))
			.withMessageContaining("version");
	}

	@Test
	void aBinaryClaimingMoreThanTheFrameHoldsIsRefused() {
		// BINARY_EXT claiming 1.5 GB, with one byte there
		byte[] frame = ByteBuffer.allocate(7).put((byte) 131).put((byte) 109).putInt(1_500_000_000).put((byte) 0).array();
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(frame));
	}

	@Test
	void aListOrTupleClaimingMoreElementsThanBytesIsRefused() {
		// LIST_EXT with 2^31 - 1 elements and NIL_EXT
		byte[] list = ByteBuffer.allocate(7).put((byte) 131).put((byte) 108).putInt(Integer.MAX_VALUE).put((byte) 106).array();
		// LARGE_TUPLE_EXT with 1000 elements and nothing else
		byte[] tuple = ByteBuffer.allocate(6).put((byte) 131).put((byte) 105).putInt(1000).array();
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(list));
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(tuple));
	}

	@Test
	void aTruncatedTermIsRefused() {
		byte[] whole = encode(new OtpErlangBinary(new byte[10]));
		byte[] truncated = Arrays.copyOf(whole, whole.length - 3);
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(truncated));
	}

	@Test
	void anAtomLongerThanErlangAllowsIsRefused() {
		// ATOM_UTF8_EXT of 256 characters
		ByteBuffer atom = ByteBuffer.allocate(4 + 256).put((byte) 131).put((byte) 118).putShort((short) 256);
		for (int i = 0; i < 256; i++) {
			atom.put((byte) 'a');
		}
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(atom.array()));
	}


	@Test
	void utf8AtomsAreCountedInCharactersAfterAnAsciiPrefix() throws Exception {
		// 200 ASCII characters and then two-byte ones: 255 characters in 310 bytes is allowed, 256 is not
		check(utf8Atom(200, 55));
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(utf8Atom(200, 56)));
		check(utf8Atom(0, 255));
	}

	@Test
	void anAtomThatIsNotUtf8IsRefusedEvenAfterAnAsciiPrefix() {
		byte[] atom = utf8Atom(10, 0);
		atom[atom.length - 1] = (byte) 0xFF;
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(atom));
		byte[] truncated = utf8Atom(10, 1);
		truncated[truncated.length - 1] = (byte) 'a'; // 0xC3 followed by no continuation byte
		assertThatExceptionOfType(DistConnection.ProtocolViolation.class).isThrownBy(() -> check(truncated));
	}

	/** ATOM_UTF8_EXT of {@code ascii} times 'a' and then {@code twoByte} times 'é' (C3 A9). */
	private static byte[] utf8Atom(int ascii, int twoByte) {
		int bytes = ascii + 2 * twoByte;
		ByteBuffer atom = ByteBuffer.allocate(4 + bytes).put((byte) 131).put((byte) 118).putShort((short) bytes);
		for (int i = 0; i < ascii; i++) {
			atom.put((byte) 'a');
		}
		for (int i = 0; i < twoByte; i++) {
			atom.put((byte) 0xC3).put((byte) 0xA9);
		}
		return atom.array();
	}

}
