package io.github.erlangspring.reliability;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangExternalFun;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpOutputStream;
import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.dist.DistConnection;
import io.github.erlangspring.node.dist.DistFlags;
import io.github.erlangspring.node.dist.Handshake;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

/**
 * Property-based fuzzing of the decoding of frames, through a real socket into a
 * {@link DistConnection}: random terms arrive intact; the same frames with bytes flipped,
 * lengths overwritten, cut short or padded are each either delivered or refused as a protocol
 * violation, promptly, and decoding one never allocates much more than the frame's own size. A
 * fixed seed and a bounded number of tries keep every run the same.
 */
class TermDecoderFuzzTests {

	private static final long SEED = 0x5EED_E51BL;

	private static final int MAX_FRAME = 1024 * 1024;

	/** Allocation allowed for decoding a frame: buffers, plus a generous factor of its size. */
	private static long allowedAllocation(int frameLength) {
		return 2L * 1024 * 1024 + 64L * frameLength;
	}

	private static final OtpErlangTuple CONTROL = tuple(num(2), atom(""), new OtpErlangPid("esb_fuzz@127.0.0.1", 7, 0, 1));

	private static final OtpErlangAtom SENTINEL = atom("esb_fuzz_sentinel");

	@Test
	void randomTermsArriveIntact() {
		qt().withFixedSeed(SEED).withExamples(300).withShrinkCycles(30).forAll(terms(4)).checkAssert((term) -> {
			Outcome outcome = feed(frameBody(CONTROL, term));
			assertThat(outcome.closeReason).as("refused %s", term).isNull();
			assertThat(outcome.delivered).as("delivered").containsExactly(term);
		});
	}

	@Test
	void damagedFramesAreDeliveredOrRefusedPromptlyWithinBoundedMemory() {
		qt().withFixedSeed(SEED + 1)
			.withExamples(500)
			.withShrinkCycles(30)
			.forAll(terms(3), damages())
			.checkAssert((term, damage) -> {
				byte[] body = damage.apply(frameBody(CONTROL, term));
				Outcome outcome = feed(body);
				if (outcome.closeReason != null) {
					assertThat(outcome.closeReason).as("reason for refusing %s", Arrays.toString(body))
						.startsWith("protocol violation");
				}
				assertThat(outcome.allocated).as("bytes allocated decoding %d bytes", body.length)
					.isLessThan(allowedAllocation(body.length));
			});
	}

	/**
	 * Sends a baseline frame, the frame under test and a sentinel frame to a fresh connection;
	 * waits for the sentinel or the connection's end.
	 */
	private static Outcome feed(byte[] body) {
		Outcome outcome = new Outcome();
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
				Socket accepted = server.accept()) {
			DistConnection connection = new DistConnection(accepted,
					new Handshake.Peer("esb_fuzz@127.0.0.1", DistFlags.OURS, 1),
					new DistConnection.Settings(MAX_FRAME, 64, Duration.ofSeconds(5), Duration.ofSeconds(60)));
			connection.start(outcome);
			OutputStream out = client.getOutputStream();
			out.write(frame(frameBody(CONTROL, atom("esb_fuzz_baseline"))));
			out.write(frame(body));
			out.write(frame(frameBody(CONTROL, SENTINEL)));
			out.flush();
			outcome.done.get(10, TimeUnit.SECONDS);
			connection.close(DisconnectReason.of(DisconnectReason.Kind.CLOSED));
		}
		catch (IOException ex) {
			// the node closed the connection before all was written: the outcome tells why, and
			// it must come (a connection that neither delivered nor closed is a hang, not a pass)
			try {
				outcome.done.get(10, TimeUnit.SECONDS);
			}
			catch (Exception none) {
				throw new AssertionError("writing failed (" + ex + ") and the connection gave no outcome within 10 s: "
						+ Arrays.toString(body), none);
			}
		}
		catch (Exception ex) {
			throw new AssertionError("no outcome for a frame of " + body.length + " bytes within 10 s: "
					+ Arrays.toString(body), ex);
		}
		return outcome;
	}

	private static byte[] frame(byte[] body) {
		byte[] frame = new byte[4 + body.length];
		frame[0] = (byte) (body.length >>> 24);
		frame[1] = (byte) (body.length >>> 16);
		frame[2] = (byte) (body.length >>> 8);
		frame[3] = (byte) body.length;
		System.arraycopy(body, 0, frame, 4, body.length);
		return frame;
	}

	private static byte[] frameBody(OtpErlangObject control, OtpErlangObject payload) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(112);
		out.write1(131);
		out.write_any(control);
		out.write1(131);
		out.write_any(payload);
		return out.toByteArray();
	}

	/** What one connection did with the three frames. */
	static final class Outcome implements DistConnection.Listener {

		final List<OtpErlangObject> delivered = new CopyOnWriteArrayList<>();

		final CompletableFuture<Void> done = new CompletableFuture<>();

		volatile String closeReason;

		volatile long allocated;

		private final AtomicLong baseline = new AtomicLong(-1);

		@Override
		public void received(DistConnection connection, OtpErlangTuple control, OtpErlangObject payload) {
			if (atom("esb_fuzz_baseline").equals(payload) && this.baseline.get() < 0) {
				this.baseline.set(allocatedByThisThread());
				return;
			}
			if (SENTINEL.equals(payload)) {
				measure();
				this.done.complete(null);
				return;
			}
			this.delivered.add(payload);
		}

		@Override
		public void closed(DistConnection connection, DisconnectReason reason) {
			if (!this.done.isDone()) {
				measure();
				this.closeReason = reason.toString();
			}
			this.done.complete(null);
		}

		private void measure() {
			long start = this.baseline.get();
			this.allocated = (start < 0) ? 0 : allocatedByThisThread() - start;
		}

		private static long allocatedByThisThread() {
			return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
				.getThreadAllocatedBytes(Thread.currentThread().getId());
		}

	}

	// Generators

	static Gen<OtpErlangObject> terms(int depth) {
		return (in) -> term(in, depth);
	}

	private static OtpErlangObject term(RandomnessSource in, int depth) {
		int kind = (int) in.next(Constraint.between(0, (depth > 0) ? 14 : 9));
		switch (kind) {
			case 0:
				return new OtpErlangLong(in.next(Constraint.between(0, 255)));
			case 1:
				return new OtpErlangLong(in.next(Constraint.between(Integer.MIN_VALUE, Integer.MAX_VALUE)));
			case 2: {
				byte[] magnitude = bytes(in, 1 + (int) in.next(Constraint.between(0, 40)));
				BigInteger big = new BigInteger(1, magnitude);
				return new OtpErlangLong((in.next(Constraint.between(0, 1)) == 0) ? big : big.negate());
			}
			case 3:
				return new OtpErlangDouble(Double.longBitsToDouble(in.next(Constraint.between(0, 0x7FEFFFFFFFFFFFFFL)))
						* ((in.next(Constraint.between(0, 1)) == 0) ? 1 : -1));
			case 4:
				return new OtpErlangAtom(text(in, 255));
			case 5:
				return new OtpErlangBinary(bytes(in, (int) in.next(Constraint.between(0, 300))));
			case 6: {
				StringBuilder ascii = new StringBuilder();
				int length = 1 + (int) in.next(Constraint.between(0, 100));
				for (int i = 0; i < length; i++) {
					ascii.append((char) in.next(Constraint.between(0, 255)));
				}
				return new OtpErlangString(ascii.toString());
			}
			case 7:
				return new OtpErlangPid(text(in, 40) + "@h", (int) in.next(Constraint.between(0, 0x7FFFFFF)),
						(int) in.next(Constraint.between(0, 0x1FFF)), (int) in.next(Constraint.between(0, 0xFFFFFF)));
			case 8: {
				int[] ids = new int[(int) in.next(Constraint.between(1, 3))];
				for (int i = 0; i < ids.length; i++) {
					ids[i] = (int) in.next(Constraint.between(0, Integer.MAX_VALUE));
				}
				return new OtpErlangRef(text(in, 40) + "@h", ids, (int) in.next(Constraint.between(0, 0xFFFFFF)));
			}
			case 9:
				return new OtpErlangExternalFun(text(in, 30), text(in, 30), (int) in.next(Constraint.between(0, 255)));
			case 10:
			case 11: {
				OtpErlangObject[] elements = elements(in, depth);
				return (kind == 10) ? new OtpErlangTuple(elements) : new OtpErlangList(elements);
			}
			case 12: {
				OtpErlangObject[] elements = elements(in, depth);
				if (elements.length == 0) {
					return new OtpErlangList();
				}
				try {
					return new OtpErlangList(elements, new OtpErlangLong(in.next(Constraint.between(0, 9))));
				}
				catch (com.ericsson.otp.erlang.OtpErlangException ex) {
					throw new IllegalStateException(ex);
				}
			}
			default: {
				int pairs = (int) in.next(Constraint.between(0, 4));
				OtpErlangObject[] keys = new OtpErlangObject[pairs];
				OtpErlangObject[] values = new OtpErlangObject[pairs];
				for (int i = 0; i < pairs; i++) {
					keys[i] = new OtpErlangLong(i);
					values[i] = term(in, depth - 1);
				}
				return new OtpErlangMap(keys, values);
			}
		}
	}

	private static OtpErlangObject[] elements(RandomnessSource in, int depth) {
		OtpErlangObject[] elements = new OtpErlangObject[(int) in.next(Constraint.between(0, 5))];
		for (int i = 0; i < elements.length; i++) {
			elements[i] = term(in, depth - 1);
		}
		return elements;
	}

	private static byte[] bytes(RandomnessSource in, int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = (byte) in.next(Constraint.between(0, 255));
		}
		return bytes;
	}

	/** Text of up to {@code max} code points: ASCII, Latin-1, other planes, never surrogates. */
	private static String text(RandomnessSource in, int max) {
		int length = (int) in.next(Constraint.between(0, max));
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			int range = (int) in.next(Constraint.between(0, 3));
			int codePoint = switch (range) {
				case 0 -> (int) in.next(Constraint.between('a', 'z'));
				case 1 -> (int) in.next(Constraint.between(0xA0, 0xFF));
				case 2 -> (int) in.next(Constraint.between(0x100, 0xD7FF));
				default -> (int) in.next(Constraint.between(0x10000, 0x10FFFF));
			};
			text.appendCodePoint(codePoint);
		}
		return text.toString();
	}

	/** Ways to damage a frame body: the first byte (its type) and the rest are fair game. */
	static Gen<UnaryOperator<byte[]>> damages() {
		return (in) -> {
			int kind = (int) in.next(Constraint.between(0, 4));
			long position = in.next(Constraint.between(0, Integer.MAX_VALUE));
			long value = in.next(Constraint.between(0, Integer.MAX_VALUE));
			int count = (int) in.next(Constraint.between(1, 3));
			return new Damage(kind, position, value, count);
		};
	}

	record Damage(int kind, long position, long value, int count) implements UnaryOperator<byte[]> {

		private static final int[] LENGTHS = { 0x7FFFFFFF, 0x40000000, 0x01000000, 0x00FFFFFF, 0x0000FFFF };

		private static final int[] TAGS = { 70, 77, 80, 82, 88, 90, 97, 98, 99, 100, 101, 103, 104, 105, 106, 107,
				108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121 };

		@Override
		public byte[] apply(byte[] body) {
			byte[] out = body.clone();
			int at = (int) (this.position % out.length);
			switch (this.kind) {
				case 0 -> {
					for (int i = 0; i < this.count; i++) {
						out[(at + i * 7) % out.length] = (byte) (this.value >>> (8 * i));
					}
				}
				case 1 -> {
					int length = LENGTHS[(int) (this.value % LENGTHS.length)];
					for (int i = 0; i < 4 && at + i < out.length; i++) {
						out[at + i] = (byte) (length >>> (24 - 8 * i));
					}
				}
				case 2 -> out = Arrays.copyOf(out, Math.max(1, at));
				case 3 -> {
					byte[] longer = new byte[out.length + this.count * 3];
					System.arraycopy(out, 0, longer, 0, at);
					for (int i = 0; i < this.count * 3; i++) {
						longer[at + i] = (byte) (this.value >>> i);
					}
					System.arraycopy(out, at, longer, at + this.count * 3, out.length - at);
					out = longer;
				}
				default -> out[at] = (byte) TAGS[(int) (this.value % TAGS.length)];
			}
			return out;
		}

	}

}
