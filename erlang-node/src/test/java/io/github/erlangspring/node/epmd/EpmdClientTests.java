package io.github.erlangspring.node.epmd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link EpmdClient} against the real {@code epmd} of the installed Erlang/OTP.
 */
class EpmdClientTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/** The distribution listen port of an Erlang node: its only unconnected TCP socket. */
	static final String LISTEN_PORT = "hd([Port || P <- erlang:ports(), "
			+ "erlang:port_info(P, name) =:= {name, \"tcp_inet\"}, "
			+ "{error, _} <- [inet:peername(P)], {ok, {_, Port}} <- [inet:sockname(P)]])";

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	private static RealEpmd epmd;

	private static EpmdClient client;

	@BeforeAll
	static void startEpmd() throws Exception {
		epmd = RealEpmd.start();
		client = new EpmdClient(epmd.port(), Duration.ofSeconds(5));
	}

	@AfterAll
	static void stopEpmd() throws Exception {
		if (epmd != null) {
			epmd.close();
		}
	}

	@Test
	void registeredNameIsListedAndFound() throws Exception {
		String alive = uniqueAlive();
		try (Registration registration = client.register(alive, 40123, false)) {
			assertThat(registration.isOpen()).isTrue();
			assertThat(registration.alive()).isEqualTo(alive);
			assertThat(registration.creation()).isNotZero();
			assertThat(client.names("127.0.0.1")).containsEntry(alive, 40123);
			Optional<NodeAddress> address = client.lookup("127.0.0.1", alive);
			assertThat(address).contains(new NodeAddress("127.0.0.1", 40123, false, 6, 6, alive));
		}
	}

	@Test
	void hiddenRegistrationIsReportedHidden() throws Exception {
		String alive = uniqueAlive();
		try (Registration registration = client.register(alive, 40124, true)) {
			assertThat(client.lookup("localhost", alive)).hasValueSatisfying((address) -> {
				assertThat(address.hidden()).isTrue();
				assertThat(address.host()).isEqualTo("localhost");
				assertThat(address.port()).isEqualTo(40124);
				assertThat(address.supportsVersion(6)).isTrue();
			});
		}
	}

	@Test
	void registeredNameIsShownByEpmdNamesCommand() throws Exception {
		String alive = uniqueAlive();
		try (Registration registration = client.register(alive, 40125, false)) {
			assertThat(RealEpmd.names(epmd.port())).contains("up and running on port " + epmd.port())
				.contains("name " + alive + " at port 40125\n");
		}
	}

	@Test
	void registeringATakenNameFails() throws Exception {
		String alive = uniqueAlive();
		try (Registration registration = client.register(alive, 40126, false)) {
			assertThatExceptionOfType(EpmdException.class).isThrownBy(() -> client.register(alive, 40127, false))
				.withMessageContaining(alive)
				.withMessageContaining("already registered")
				.withMessageContaining("port " + epmd.port());
			assertThat(client.names("127.0.0.1")).containsEntry(alive, 40126);
		}
	}

	@Test
	void closingTheRegistrationUnregisters() throws Exception {
		String alive = uniqueAlive();
		Registration registration = client.register(alive, 40128, false);
		assertThat(client.names("127.0.0.1")).containsKey(alive);
		registration.close();
		assertThat(registration.isOpen()).isFalse();
		assertThat(RealEpmd.await(TIMEOUT, () -> !names().containsKey(alive))).isTrue();
		assertThat(client.lookup("127.0.0.1", alive)).isEmpty();
	}

	@Test
	void reRegisteringANameGetsANewCreation() throws Exception {
		String alive = uniqueAlive();
		int first;
		try (Registration registration = client.register(alive, 40129, false)) {
			first = registration.creation();
		}
		assertThat(RealEpmd.await(TIMEOUT, () -> !names().containsKey(alive))).isTrue();
		try (Registration registration = client.register(alive, 40129, false)) {
			assertThat(registration.creation()).isNotZero().isNotEqualTo(first);
		}
	}

	@Test
	void lookupOfUnknownNameIsEmpty() throws Exception {
		assertThat(client.lookup("127.0.0.1", uniqueAlive())).isEmpty();
	}

	@Test
	void lookupFindsARealErlangNode() throws Exception {
		ErlangPeer peer = erlang.peer().epmdPort(epmd.port()).start();
		String alive = peer.nodeName().substring(0, peer.nodeName().indexOf('@'));
		int listenPort = Integer.parseInt(peer.eval(LISTEN_PORT).toString());
		assertThat(listenPort).isPositive();
		assertThat(client.lookup("127.0.0.1", alive)).hasValueSatisfying((address) -> {
			assertThat(address.alive()).isEqualTo(alive);
			assertThat(address.port()).isEqualTo(listenPort);
			assertThat(address.hidden()).isFalse();
			assertThat(address.highestVersion()).isGreaterThanOrEqualTo(6);
		});
		assertThat(client.names("127.0.0.1")).containsKey(alive);
	}

	@Test
	void connectingWhereNoEpmdListensThrowsConnectException() throws Exception {
		int unusedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			unusedPort = socket.getLocalPort();
		}
		EpmdClient nowhere = new EpmdClient(unusedPort, Duration.ofSeconds(2));
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> nowhere.register(uniqueAlive(), 40130, false));
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> nowhere.lookup("127.0.0.1", "any"));
		assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> nowhere.names("127.0.0.1"));
	}

	@Test
	void invalidNamesAreRejectedBeforeConnecting() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> client.register("", 40131, false));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> client.register("a@b", 40131, false));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> client.lookup("127.0.0.1", "x".repeat(256)));
	}

	@Test
	void namesResponseIsParsedLikeErlEpmd() {
		assertThat(EpmdClient.parseNames("name a at port 1\ngarbage\nname b at port 22\nname c at port x\nname d"))
			.isEqualTo(Map.of("a", 1, "b", 22));
	}

	private static Map<String, Integer> names() {
		try {
			return client.names("127.0.0.1");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String uniqueAlive() {
		return "esb_epmd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

}
