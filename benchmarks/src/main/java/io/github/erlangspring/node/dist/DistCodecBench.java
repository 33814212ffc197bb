package io.github.erlangspring.node.dist;

import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpExternal;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One distribution frame (control message and payload) decoded and encoded the way
 * {@link DistConnection} does it ({@code …Ours}: {@link ExternalTermBounds#check} then
 * {@link OtpInputStream}, with the control checks of its read loop; {@link DistConnection#encode}
 * with its length and pass-through header), next to plain JInterface on the same bytes and terms
 * ({@code …Raw}: {@link OtpInputStream}/{@link OtpOutputStream} alone). The difference is the cost
 * of our bounds check and framing. In this package because both are package-private.
 * <ul>
 * <li>{@code gen_call}: a {@code REG_SEND} control and {@code {'$gen_call', {Pid, Ref}, {echo, <<"hello">>}}}</li>
 * <li>{@code map_1k}: a {@code SEND} control and a map of 16 atom keys to 48-byte binaries (about 1 KB)</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DistCodecBench {

	private static final int PASS_THROUGH = 112;

	@Param({ "gen_call", "map_1k" })
	public String term;

	private OtpErlangTuple control;

	private OtpErlangObject payload;

	/** The frame as the read loop holds it: pass-through byte, then the terms (no length). */
	private byte[] frame;

	@Setup
	public void setup() {
		OtpErlangPid self = new OtpErlangPid("bench@localhost", 42, 0, 3);
		OtpErlangPid peer = new OtpErlangPid("erl@localhost", 97, 0, 1);
		if (this.term.equals("gen_call")) {
			this.control = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangLong(6), self,
					new OtpErlangAtom(""), new OtpErlangAtom("esb_bench_echo") });
			OtpErlangRef ref = new OtpErlangRef("bench@localhost", new int[] { 1, 2, 3 }, 3);
			this.payload = new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("$gen_call"),
					new OtpErlangTuple(new OtpErlangObject[] { self, ref }), new OtpErlangTuple(new OtpErlangObject[] {
							new OtpErlangAtom("echo"), new OtpErlangBinary("hello".getBytes()) }) });
		}
		else {
			this.control = new OtpErlangTuple(
					new OtpErlangObject[] { new OtpErlangLong(2), new OtpErlangAtom(""), peer });
			OtpErlangObject[] keys = new OtpErlangObject[16];
			OtpErlangObject[] values = new OtpErlangObject[16];
			for (int i = 0; i < keys.length; i++) {
				keys[i] = new OtpErlangAtom("field_" + i);
				values[i] = new OtpErlangBinary(("value " + i + " " + "x".repeat(40)).substring(0, 48).getBytes());
			}
			this.payload = new OtpErlangMap(keys, values);
		}
		byte[] encoded = DistConnection.encode(this.control, this.payload);
		this.frame = java.util.Arrays.copyOfRange(encoded, 4, encoded.length);
	}

	/** A connection's atoms, as its reader keeps them. */
	private final AtomCachingInput.Atoms atoms = new AtomCachingInput.Atoms();

	@Benchmark
	public void decodeOurs(Blackhole bh) throws Exception {
		byte[] frame = this.frame;
		int length = frame.length;
		if ((frame[0] & 0xFF) != PASS_THROUGH) {
			throw new IllegalStateException("unexpected frame type");
		}
		ExternalTermBounds.check(frame, 1, length);
		OtpInputStream terms = new AtomCachingInput(frame, 1, length - 1, this.atoms);
		OtpErlangObject head = terms.read_any();
		if (!(head instanceof OtpErlangTuple tuple) || tuple.arity() == 0) {
			throw new IllegalStateException("control message is not a tuple");
		}
		bh.consume(tuple);
		bh.consume((terms.available() > 0) ? terms.read_any() : null);
	}

	@Benchmark
	public void decodeRaw(Blackhole bh) throws Exception {
		OtpInputStream terms = new OtpInputStream(this.frame, 1, this.frame.length - 1, 0);
		bh.consume(terms.read_any());
		bh.consume(terms.read_any());
	}

	@Benchmark
	public byte[] encodeOurs() {
		return DistConnection.encode(this.control, this.payload);
	}

	@Benchmark
	public byte[] encodeRaw() {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(OtpExternal.versionTag);
		out.write_any(this.control);
		out.write1(OtpExternal.versionTag);
		out.write_any(this.payload);
		return out.toByteArray();
	}

}
