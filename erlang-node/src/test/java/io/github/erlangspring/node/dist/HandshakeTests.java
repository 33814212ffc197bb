package io.github.erlangspring.node.dist;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The distribution handshake over in-memory streams, without {@code erl}: the challenge digest
 * is Erlang's, two nodes with one cookie agree on each other, and a wrong cookie is refused as
 * an authentication failure. Handshakes with real Erlang nodes are covered by the wire tests.
 */
class HandshakeTests {

	@Test
	void theDigestIsErlangsMd5OfTheCookieAndTheUnsignedChallenge() {
		// erlang:md5(["secret", integer_to_list(Challenge)]) on OTP 25
		LocalIdentity self = new LocalIdentity("a@h", 1, DistFlags.OURS, "secret");
		assertThat(HexFormat.of().withUpperCase().formatHex(self.digest(42))).isEqualTo("5CE06E46867DE8252365147B667F1C20");
		assertThat(HexFormat.of().withUpperCase().formatHex(self.digest(-1))).isEqualTo("5DFD181E69AA587CC812EB333E6536B6");
		assertThat(self.digestMatches(42, self.digest(42))).isTrue();
		assertThat(new LocalIdentity("a@h", 1, DistFlags.OURS, "other").digestMatches(42, self.digest(42))).isFalse();
	}

	@Test
	void twoNodesWithOneCookieLearnEachOther() throws Exception {
		LocalIdentity client = new LocalIdentity("client@h", 7, DistFlags.OURS, "secret");
		LocalIdentity server = new LocalIdentity("server@h", 9, DistFlags.OURS, "secret");
		Pipes pipes = new Pipes();
		CompletableFuture<Handshake.Peer> accepted = CompletableFuture.supplyAsync(() -> {
			try {
				return Handshake.accept(pipes.serverIn, pipes.serverOut, server, (name, flags) -> Handshake.Admission.OK);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Handshake.Peer connected = Handshake.connect(pipes.clientIn, pipes.clientOut, client, "server@h");
		assertThat(connected.name()).isEqualTo("server@h");
		assertThat(connected.creation()).isEqualTo(9);
		Handshake.Peer peer = accepted.get(10, TimeUnit.SECONDS);
		assertThat(peer.name()).isEqualTo("client@h");
		assertThat(peer.creation()).isEqualTo(7);
	}

	@Test
	void aWrongCookieIsAnAuthenticationFailure() throws Exception {
		LocalIdentity client = new LocalIdentity("client@h", 7, DistFlags.OURS, "wrong");
		LocalIdentity server = new LocalIdentity("server@h", 9, DistFlags.OURS, "secret");
		Pipes pipes = new Pipes();
		CompletableFuture<Handshake.Peer> accepted = CompletableFuture.supplyAsync(() -> {
			try {
				return Handshake.accept(pipes.serverIn, pipes.serverOut, server, (name, flags) -> Handshake.Admission.OK);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			finally {
				pipes.closeServer();
			}
		});
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> Handshake.connect(pipes.clientIn, pipes.clientOut, client, "server@h"));
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> accepted.get(10, TimeUnit.SECONDS))
			.havingCause()
			.havingCause()
			.isInstanceOfSatisfying(HandshakeException.class,
					(ex) -> assertThat(ex.isAuthenticationFailure()).as(ex.getMessage()).isTrue());
	}

	@Test
	void aRefusedNodeIsToldSo() throws Exception {
		LocalIdentity client = new LocalIdentity("client@h", 7, DistFlags.OURS, "secret");
		LocalIdentity server = new LocalIdentity("server@h", 9, DistFlags.OURS, "secret");
		Pipes pipes = new Pipes();
		CompletableFuture<Object> accepted = CompletableFuture.supplyAsync(() -> {
			try {
				return Handshake.accept(pipes.serverIn, pipes.serverOut, server, (name, flags) -> Handshake.Admission.NOT_ALLOWED);
			}
			catch (IOException ex) {
				return ex;
			}
			finally {
				pipes.closeServer();
			}
		});
		assertThatExceptionOfType(HandshakeException.class)
			.isThrownBy(() -> Handshake.connect(pipes.clientIn, pipes.clientOut, client, "server@h"));
		assertThat(accepted.get(10, TimeUnit.SECONDS)).isInstanceOf(HandshakeException.class);
	}

	/** Two one-way pipes: what the client writes the server reads, and back. */
	private static final class Pipes {

		final PipedInputStream serverIn = new PipedInputStream(1 << 16);

		final PipedOutputStream clientOut;

		final PipedInputStream clientIn = new PipedInputStream(1 << 16);

		final PipedOutputStream serverOut;

		Pipes() throws IOException {
			this.clientOut = new PipedOutputStream(this.serverIn);
			this.serverOut = new PipedOutputStream(this.clientIn);
		}

		void closeServer() {
			try {
				this.serverOut.close();
				this.serverIn.close();
			}
			catch (IOException ex) {
				// closed
			}
		}

	}

}
