package io.github.erlangspring.node.epmd;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link EmbeddedEpmd}, served to real Erlang nodes, the real {@code epmd -names}
 * command, {@link EpmdClient} and raw protocol requests.
 */
class EmbeddedEpmdTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	private EmbeddedEpmd epmd;

	private EpmdClient client;

	@BeforeEach
	void startEpmd() throws IOException {
		this.epmd = EmbeddedEpmd.start(InetAddress.getLoopbackAddress(), 0);
		this.client = new EpmdClient(this.epmd.port(), Duration.ofSeconds(5));
	}

	@AfterEach
	void stopEpmd() {
		this.epmd.close();
	}

	@Test
	void realErlangNodeRegistersAndIsListedByEpmdNames() throws Exception {
		ErlangPeer node = erlang.peer().epmdPort(this.epmd.port()).start();
		String alive = alive(node);
		int listenPort = Integer.parseInt(node.eval(EpmdClientTests.LISTEN_PORT).toString());
		assertThat(RealEpmd.await(TIMEOUT, () -> this.epmd.registeredNames().containsKey(alive))).isTrue();
		assertThat(this.epmd.registeredNames()).containsEntry(alive, listenPort);
		assertThat(RealEpmd.names(this.epmd.port())).contains("epmd: up and running on port " + this.epmd.port())
			.contains("name " + alive + " at port " + listenPort + "\n");
		assertThat(this.client.lookup("127.0.0.1", alive)).hasValueSatisfying((address) -> {
			assertThat(address.port()).isEqualTo(listenPort);
			assertThat(address.hidden()).isFalse();
			assertThat(address.highestVersion()).isEqualTo(6);
			assertThat(address.supportsVersion(6)).isTrue();
		});
	}

	@Test
	void realErlangNodesFindEachOtherThroughEmbeddedEpmd() throws Exception {
		String cookie = randomCookie();
		ErlangPeer first = erlang.peer().epmdPort(this.epmd.port()).cookie(cookie).start();
		ErlangPeer second = erlang.peer().epmdPort(this.epmd.port()).cookie(cookie).start();
		assertThat(second.eval("net_adm:ping('" + first.nodeName() + "')")).isEqualTo(new OtpErlangAtom("pong"));
		assertThat(first.eval("lists:member('" + second.nodeName() + "', nodes())"))
			.isEqualTo(new OtpErlangAtom("true"));
		assertThat(second.eval("{ok, Names} = erl_epmd:names(\"127.0.0.1\"), lists:sort([N || {N, _} <- Names])")
			.toString()).contains("\"" + alive(first) + "\"").contains("\"" + alive(second) + "\"");
	}

	@Test
	void stoppedErlangNodeIsUnregistered() throws Exception {
		ErlangPeer node = erlang.peer().epmdPort(this.epmd.port()).start();
		String alive = alive(node);
		assertThat(RealEpmd.await(TIMEOUT, () -> this.epmd.registeredNames().containsKey(alive))).isTrue();
		node.close();
		assertThat(RealEpmd.await(TIMEOUT, () -> !this.epmd.registeredNames().containsKey(alive))).isTrue();
		assertThat(RealEpmd.names(this.epmd.port())).doesNotContain(alive);
		assertThat(this.client.lookup("127.0.0.1", alive)).isEmpty();
	}

	@Test
	void killedErlangNodeIsUnregistered() throws Exception {
		ErlangPeer node = erlang.peer().epmdPort(this.epmd.port()).start();
		String alive = alive(node);
		assertThat(RealEpmd.await(TIMEOUT, () -> this.epmd.registeredNames().containsKey(alive))).isTrue();
		node.kill();
		assertThat(RealEpmd.await(TIMEOUT, () -> !this.epmd.registeredNames().containsKey(alive))).isTrue();
	}

	@Test
	void clientRegistrationIsServed() throws Exception {
		String alive = uniqueAlive();
		try (Registration registration = this.client.register(alive, 40200, true)) {
			assertThat(registration.creation()).isNotZero();
			assertThat(this.epmd.registeredNames()).containsEntry(alive, 40200);
			assertThat(this.client.names("127.0.0.1")).containsEntry(alive, 40200);
			assertThat(this.client.lookup("127.0.0.1", alive))
				.contains(new NodeAddress("127.0.0.1", 40200, true, 6, 6, alive));
		}
		assertThat(RealEpmd.await(TIMEOUT, () -> !this.epmd.registeredNames().containsKey(alive))).isTrue();
	}

	@Test
	void secondRegistrationOfALiveNameGetsResultOne() throws Exception {
		String alive = uniqueAlive();
		try (Socket first = connect()) {
			first.getOutputStream().write(alive2Request(alive, 40201, 6));
			DataInputStream firstIn = new DataInputStream(first.getInputStream());
			assertThat(firstIn.readUnsignedByte()).isEqualTo(EpmdProtocol.ALIVE2_X_RESP);
			assertThat(firstIn.readUnsignedByte()).isZero();
			assertThat(firstIn.readInt()).isNotZero();
			byte[] second = exchange(alive2Request(alive, 40202, 6));
			assertThat(second).hasSize(6);
			assertThat(second[0] & 0xFF).isEqualTo(EpmdProtocol.ALIVE2_X_RESP);
			assertThat(second[1]).isEqualTo((byte) 1);
			assertThatExceptionOfType(EpmdException.class)
				.isThrownBy(() -> this.client.register(alive, 40203, false))
				.withMessageContaining("'" + alive + "' is already registered with EPMD on port " + this.epmd.port());
			assertThat(this.epmd.registeredNames()).containsEntry(alive, 40201);
		}
		assertThat(RealEpmd.await(TIMEOUT, () -> !this.epmd.registeredNames().containsKey(alive))).isTrue();
	}

	@Test
	void reRegistrationGetsANewNonZeroCreation() throws Exception {
		String alive = uniqueAlive();
		int previous = 0;
		for (int i = 0; i < 3; i++) {
			try (Registration registration = this.client.register(alive, 40204, false)) {
				assertThat(registration.creation()).isNotZero().isNotEqualTo(previous);
				previous = registration.creation();
			}
			assertThat(RealEpmd.await(TIMEOUT, () -> !this.epmd.registeredNames().containsKey(alive))).isTrue();
		}
	}

	@Test
	void nodeOlderThanVersion6GetsA16BitCreation() throws Exception {
		String alive = uniqueAlive();
		try (Socket socket = connect()) {
			socket.getOutputStream().write(alive2Request(alive, 40205, 5));
			DataInputStream in = new DataInputStream(socket.getInputStream());
			assertThat(in.readUnsignedByte()).isEqualTo(EpmdProtocol.ALIVE2_RESP);
			assertThat(in.readUnsignedByte()).isZero();
			assertThat(in.readUnsignedShort()).isBetween(1, 3);
			assertThat(this.client.lookup("127.0.0.1", alive)).hasValueSatisfying(
					(address) -> assertThat(address.highestVersion()).isEqualTo(5));
		}
	}

	@Test
	void malformedRequestsCloseOnlyTheirConnection() throws Exception {
		String alive = uniqueAlive();
		try (Registration registration = this.client.register(alive, 40206, false)) {
			// unknown request
			assertThat(exchange(new byte[] { 0, 1, 'Q' })).isEmpty();
			// empty request
			assertThat(exchange(new byte[] { 0, 0 })).isEmpty();
			// longer than the limit
			assertThat(exchange(new byte[] { (byte) 0xFF, (byte) 0xFF })).isEmpty();
			// ALIVE2_REQ whose name runs past the end of the request
			assertThat(exchange(new byte[] { 0, 14, 'x', 0, 1, 'M', 0, 0, 6, 0, 6, 0, 100, 'a', 0, 0 })).isEmpty();
			// PORT_PLEASE2_REQ without a name, and with invalid UTF-8
			assertThat(exchange(new byte[] { 0, 1, 'z' })).isEmpty();
			assertThat(exchange(new byte[] { 0, 3, 'z', (byte) 0xC0, (byte) 0x80 })).isEmpty();
			// a client that disconnects halfway through its request
			try (Socket socket = connect()) {
				socket.getOutputStream().write(new byte[] { 0, 10, 'z', 'a' });
			}
			assertThat(this.epmd.isRunning()).isTrue();
			assertThat(this.epmd.registeredNames()).containsEntry(alive, 40206);
			assertThat(this.client.names("127.0.0.1")).containsEntry(alive, 40206);
			assertThat(this.client.lookup("127.0.0.1", alive)).isPresent();
		}
	}

	@Test
	void dataOnARegistrationConnectionUnregisters() throws Exception {
		String alive = uniqueAlive();
		try (Socket socket = connect()) {
			socket.getOutputStream().write(alive2Request(alive, 40207, 6));
			socket.getInputStream().readNBytes(6);
			assertThat(this.epmd.registeredNames()).containsKey(alive);
			socket.getOutputStream().write('n');
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(RealEpmd.await(TIMEOUT, () -> !this.epmd.registeredNames().containsKey(alive))).isTrue();
		}
	}

	@Test
	void stopRequestIsRefusedAsEpmdWithoutRelaxedCommandCheck() throws Exception {
		String alive = uniqueAlive();
		try (Socket registration = connect()) {
			registration.getOutputStream().write(alive2Request(alive, 40208, 6));
			registration.getInputStream().readNBytes(6);
			assertThat(exchange(request(EpmdProtocol.STOP_REQ, alive))).isEmpty();
			assertThat(this.epmd.registeredNames()).containsKey(alive);
		}
	}

	@Test
	void killRequestIsRefused() throws Exception {
		assertThat(response(exchange(new byte[] { 0, 1, (byte) EpmdProtocol.KILL_REQ }))).isEqualTo("NO");
		assertThat(this.epmd.isRunning()).isTrue();
		assertThat(this.client.names("127.0.0.1")).isEmpty();
	}

	@Test
	void dumpListsActiveAndOldNames() throws Exception {
		String active = uniqueAlive();
		String old = uniqueAlive();
		this.client.register(old, 40209, false).close();
		assertThat(RealEpmd.await(TIMEOUT, () -> !this.epmd.registeredNames().containsKey(old))).isTrue();
		try (Registration registration = this.client.register(active, 40210, false)) {
			byte[] dump = exchange(new byte[] { 0, 1, (byte) EpmdProtocol.DUMP_REQ });
			assertThat(ByteBuffer.wrap(dump).getInt()).isEqualTo(this.epmd.port());
			String text = new String(dump, 4, dump.length - 4, StandardCharsets.UTF_8);
			assertThat(text).contains("active name     <" + active + "> at port 40210, fd = ")
				.contains("old/unused name <" + old + ">, port = 40209, fd = ");
		}
	}

	@Test
	void namesResponseStartsWithTheEpmdPort() throws Exception {
		try (Registration registration = this.client.register(uniqueAlive(), 40211, false)) {
			byte[] names = exchange(new byte[] { 0, 1, (byte) EpmdProtocol.NAMES_REQ });
			assertThat(ByteBuffer.wrap(names).getInt()).isEqualTo(this.epmd.port());
			assertThat(new String(names, 4, names.length - 4, StandardCharsets.UTF_8))
				.isEqualTo("name " + registration.alive() + " at port 40211\n");
		}
	}

	@Test
	void startingOnATakenPortThrowsBindException() throws Exception {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> EmbeddedEpmd.start(InetAddress.getLoopbackAddress(), this.epmd.port()));
		try (RealEpmd real = RealEpmd.start()) {
			assertThatExceptionOfType(BindException.class)
				.isThrownBy(() -> EmbeddedEpmd.start(InetAddress.getLoopbackAddress(), real.port()));
		}
		assertThat(this.epmd.isRunning()).isTrue();
	}

	@Test
	void closeUnregistersEverythingAndStopsListening() throws Exception {
		try (Socket registration = connect()) {
			registration.getOutputStream().write(alive2Request(uniqueAlive(), 40212, 6));
			registration.getInputStream().readNBytes(6);
			this.epmd.close();
			assertThat(registration.getInputStream().read()).isEqualTo(-1);
		}
		assertThat(this.epmd.isRunning()).isFalse();
		assertThat(this.epmd.registeredNames()).isEmpty();
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> this.client.names("127.0.0.1"));
		String acceptor = "epmd-acceptor-" + this.epmd.port();
		String connections = "epmd-connection-" + this.epmd.port() + "-";
		assertThat(RealEpmd.await(TIMEOUT, () -> Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.noneMatch((name) -> name.equals(acceptor) || name.startsWith(connections)))).isTrue();
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.epmd.port()), 5000);
		socket.setSoTimeout(10_000);
		return socket;
	}

	/**
	 * Sends a framed request on a new connection and returns everything received until EPMD
	 * closed the connection.
	 */
	private byte[] exchange(byte[] framed) throws IOException {
		try (Socket socket = connect()) {
			socket.getOutputStream().write(framed);
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			InputStream in = socket.getInputStream();
			in.transferTo(received);
			return received.toByteArray();
		}
	}

	private static byte[] alive2Request(String alive, int port, int highestVersion) {
		byte[] name = alive.getBytes(StandardCharsets.UTF_8);
		return EpmdProtocol.frame(ByteBuffer.allocate(13 + name.length)
			.put((byte) EpmdProtocol.ALIVE2_REQ)
			.putShort((short) port)
			.put((byte) EpmdProtocol.NODE_TYPE_NORMAL)
			.put((byte) 0)
			.putShort((short) highestVersion)
			.putShort((short) 5)
			.putShort((short) name.length)
			.put(name)
			.putShort((short) 0)
			.array());
	}

	private static byte[] request(int tag, String name) {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		return EpmdProtocol.frame(ByteBuffer.allocate(1 + bytes.length).put((byte) tag).put(bytes).array());
	}

	private static String response(byte[] bytes) {
		return new String(bytes, StandardCharsets.US_ASCII);
	}

	private static String alive(ErlangPeer node) {
		return node.nodeName().substring(0, node.nodeName().indexOf('@'));
	}

	private static String uniqueAlive() {
		return "esb_emb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	private static String randomCookie() {
		return "C" + UUID.randomUUID().toString().replace("-", "").toUpperCase();
	}

}
