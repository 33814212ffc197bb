package io.github.erlangspring.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpOutputStream;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.dist.DistFlags;
import io.github.erlangspring.node.dist.Handshake;
import io.github.erlangspring.node.dist.LocalIdentity;
import io.github.erlangspring.test.ErlangPeer;

import static org.assertj.core.api.Assertions.fail;

/**
 * A hand-driven peer on a raw socket: it writes whatever bytes a test gives it, before, during or
 * after a real handshake, and tells whether the node closed the connection.
 */
final class RawPeer implements AutoCloseable {

	final String name;

	final Socket socket;

	private RawPeer(String name, Socket socket) {
		this.name = name;
		this.socket = socket;
	}

	/** Connects without a handshake. */
	static RawPeer connect(ErlangNode target) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), target.port());
		socket.setSoTimeout(10_000);
		return new RawPeer(null, socket);
	}

	/** Connects and completes a handshake under a unique node name. */
	static RawPeer authenticated(ErlangNode target, String cookie) throws IOException {
		String name = ErlangPeer.uniqueAlive("esb_raw") + "@127.0.0.1";
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), target.port());
		socket.setSoTimeout(10_000);
		Handshake.connect(socket.getInputStream(), socket.getOutputStream(),
				new LocalIdentity(name, 1, DistFlags.OURS, cookie), target.name());
		return new RawPeer(name, socket);
	}

	/** @return a pid of this peer's node */
	OtpErlangPid pid() {
		return new OtpErlangPid(this.name, 1, 0, 1);
	}

	/** Writes bytes; a node that already closed the connection may refuse some of them. */
	RawPeer write(byte[] bytes) {
		try {
			OutputStream out = this.socket.getOutputStream();
			out.write(bytes);
			out.flush();
		}
		catch (IOException ex) {
			// closed by the node meanwhile
		}
		return this;
	}

	/**
	 * Fails unless the node closes the connection within {@code within}; what it sends first (a
	 * handshake answer, ticks) is read and dropped.
	 */
	void assertClosedByTheNode(Duration within) throws IOException {
		long deadline = System.nanoTime() + within.toNanos();
		InputStream in = this.socket.getInputStream();
		byte[] buffer = new byte[8192];
		try {
			while (true) {
				int wait = (int) Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis());
				this.socket.setSoTimeout(wait);
				if (in.read(buffer) == -1) {
					return;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			fail("the node did not close the connection of " + this.name + " within " + within);
		}
		catch (IOException ex) {
			// reset by the node: closed as well
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** @return {@code body} behind its 4-byte length */
	static byte[] frame(byte[] body) {
		return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
	}

	/** @return a pass-through frame: control message, then a payload given as raw term bytes */
	static byte[] passThrough(OtpErlangObject control, byte[] payloadTerm) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(112);
		out.write1(131);
		out.write_any(control);
		out.write1(131);
		out.writeN(payloadTerm);
		return frame(out.toByteArray());
	}

	/** @return a {@code REG_SEND} frame whose name atom and payload are raw term bytes */
	static byte[] regSend(OtpErlangPid from, byte[] nameAtom, byte[] payloadTerm) {
		OtpOutputStream out = new OtpOutputStream();
		out.write1(112);
		out.write1(131);
		out.write1(104);
		out.write1(4);
		out.write_long(6);
		out.write_any(from);
		out.write_atom("");
		out.writeN(nameAtom);
		out.write1(131);
		out.writeN(payloadTerm);
		return frame(out.toByteArray());
	}

	/** @return the bytes of a term, without the version byte */
	static byte[] term(OtpErlangObject term) {
		OtpOutputStream out = new OtpOutputStream();
		out.write_any(term);
		return out.toByteArray();
	}

	/** @return an {@code ATOM_UTF8_EXT} of raw bytes */
	static byte[] utf8Atom(byte[] bytes) {
		return ByteBuffer.allocate(3 + bytes.length).put((byte) 118).putShort((short) bytes.length).put(bytes).array();
	}

	static byte[] utf8Atom(String text) {
		return utf8Atom(text.getBytes(StandardCharsets.UTF_8));
	}

	/** @return raw bytes joined */
	static byte[] bytes(int... values) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (int value : values) {
			out.write(value);
		}
		return out.toByteArray();
	}

	/** @return the heap in use after full collections, in bytes */
	static long heapAfterGc() {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			System.gc();
			used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
		}
		return used;
	}

}
