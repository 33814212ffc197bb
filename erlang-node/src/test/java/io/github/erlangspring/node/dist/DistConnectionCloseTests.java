package io.github.erlangspring.node.dist;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import io.github.erlangspring.node.DisconnectReason;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DistConnection#close}: a closed connection gives up its read and write buffers, so that
 * what a thread's send state keeps of it (the connection it last sent on) is small.
 */
class DistConnectionCloseTests {

	private static final DistConnection.Settings SETTINGS = new DistConnection.Settings(1 << 20, 64,
			Duration.ofSeconds(5), Duration.ofSeconds(60));

	@Test
	void aClosedConnectionHoldsNoBuffers() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
				Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
				Socket accepted = server.accept()) {
			DistConnection connection = new DistConnection(client, new Handshake.Peer("peer@127.0.0.1", 0, 1), SETTINGS);
			CountDownLatch closed = new CountDownLatch(1);
			connection.start(new DistConnection.Listener() {

				@Override
				public void received(DistConnection c, OtpErlangTuple control, OtpErlangObject payload) {
				}

				@Override
				public void closed(DistConnection c, DisconnectReason reason) {
					closed.countDown();
				}

			});
			// a send after the peer's end is read: the write buffer has been used
			assertThat(connection.send(new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("x") }), null)).isTrue();
			assertThat(accepted.getInputStream().readNBytes(4)).hasSize(4);
			assertThat(connection.holdsBuffers()).isTrue();
			connection.close(DisconnectReason.of(DisconnectReason.Kind.CLOSED));
			assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(connection.holdsBuffers()).isFalse();
			// sending on it is refused, not an error
			assertThat(connection.send(new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("y") }), null)).isFalse();
		}
	}

}
