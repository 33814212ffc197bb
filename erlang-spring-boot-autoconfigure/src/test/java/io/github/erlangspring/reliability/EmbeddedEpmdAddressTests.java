package io.github.erlangspring.reliability;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collections;
import java.util.Optional;

import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * erlang.epmd.address binds the embedded EPMD to one address (as ERL_EPMD_ADDRESS does for
 * epmd): on 127.0.0.1 it is not reachable from other hosts.
 */
class EmbeddedEpmdAddressTests {

	@Test
	void theEmbeddedEpmdListensWhereItIsTold() throws Exception {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		int epmdPort = port;
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class))
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_epmda") + "@127.0.0.1",
					"erlang.cookie=" + ErlangPeer.randomCookie(), "erlang.epmd.mode=always",
					"erlang.epmd.port=" + epmdPort, "erlang.epmd.address=127.0.0.1")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ErlangNode.class).runsEmbeddedEpmd()).isTrue();
				try (Socket local = new Socket(InetAddress.getLoopbackAddress(), epmdPort)) {
					assertThat(local.isConnected()).isTrue();
				}
				Optional<InetAddress> external = nonLoopbackAddress();
				assertThat(external).as("a non-loopback address of this host to try from").isPresent();
				assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> {
					try (Socket remote = new Socket()) {
						remote.connect(new InetSocketAddress(external.get(), epmdPort), 5000);
					}
				});
			});
	}

	private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
		for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (nic.isUp() && !nic.isLoopback()) {
				for (InetAddress address : Collections.list(nic.getInetAddresses())) {
					if (address instanceof Inet4Address) {
						return Optional.of(address);
					}
				}
			}
		}
		return Optional.empty();
	}

}
