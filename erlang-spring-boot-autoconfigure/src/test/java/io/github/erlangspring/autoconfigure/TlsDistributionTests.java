package io.github.erlangspring.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.github.erlangspring.core.ErlangNodeTemplate;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Distribution over TLS against real Erlang nodes started with {@code -proto_dist inet_tls},
 * with certificates made for the test: mutual authentication both ways, and refusal of peers
 * whose certificate the node does not trust or that do not speak TLS.
 */
class TlsDistributionTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@TempDir
	static Path dir;

	static Path trusted;

	static Path rogue;

	@BeforeAll
	static void certificates() throws Exception {
		ErlangRuntime.ensureEpmd();
		trusted = Files.createDirectories(dir.resolve("trusted"));
		rogue = Files.createDirectories(dir.resolve("rogue"));
		authority(trusted);
		authority(rogue);
	}

	private static void authority(Path where) throws Exception {
		openssl(where, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
				"-days", "2", "-subj", "/CN=esb-test-ca-" + where.getFileName());
		openssl(where, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr", "-subj",
				"/CN=esb-node");
		// Erlang's TLS client checks the host it dialled (as a DNS name, even "127.0.0.1") against
		// the certificate's names.
		Files.writeString(where.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:127.0.0.1,DNS:localhost\n");
		openssl(where, "x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
				"-out", "node.pem", "-days", "2", "-extfile", "san.ext");
		String options = "[{server, [{certfile, \"%1$s/node.pem\"}, {keyfile, \"%1$s/node.key\"}, "
				+ "{cacertfile, \"%1$s/ca.pem\"}, {verify, verify_peer}, {fail_if_no_peer_cert, true}]},\n"
				+ " {client, [{certfile, \"%1$s/node.pem\"}, {keyfile, \"%1$s/node.key\"}, "
				+ "{cacertfile, \"%1$s/ca.pem\"}, {verify, verify_peer}]}].\n";
		Files.writeString(where.resolve("dist.conf"), String.format(options, where));
	}

	private static void openssl(Path where, String... args) throws IOException, InterruptedException {
		List<String> command = new java.util.ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("openssl %s: %s", args[0], output).isZero();
	}

	private static ErlangPeer tlsPeer(Path certificates, String cookie) {
		return erlang.peer()
			.cookie(cookie)
			.args("-proto_dist", "inet_tls", "-ssl_dist_optfile", certificates.resolve("dist.conf").toString())
			.start();
	}

	private ApplicationContextRunner javaNode(String cookie) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ErlangAutoConfiguration.class))
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_tls") + "@127.0.0.1",
					"erlang.cookie=" + cookie, "erlang.ssl.bundle=dist",
					"spring.ssl.bundle.pem.dist.keystore.certificate=file:" + trusted.resolve("node.pem"),
					"spring.ssl.bundle.pem.dist.keystore.private-key=file:" + trusted.resolve("node.key"),
					"spring.ssl.bundle.pem.dist.truststore.certificate=file:" + trusted.resolve("ca.pem"));
	}

	@Test
	void tlsNodesTalkBothWays() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer peer = tlsPeer(trusted, cookie);
		javaNode(cookie).run((context) -> {
			assertThat(context).hasNotFailed();
			ErlangNode node = context.getBean(ErlangNode.class);
			ErlangNodeTemplate template = context.getBean(ErlangNodeTemplate.class);
			assertThat(template.rpc(peer.nodeName(), "lists", "reverse", List.of(1L, 2L))).isEqualTo(List.of(2L, 1L));
			assertThat(peer.eval("[{_, Info}] = [X || X = {N, _} <- element(2, net_kernel:nodes_info()), "
					+ "N =:= '" + node.name() + "'], proplists:get_value(address, Info) =/= undefined"))
				.isEqualTo(new OtpErlangAtom("true"));
		});
		ErlangPeer second = tlsPeer(trusted, cookie);
		javaNode(cookie).run((context) -> {
			String java = context.getBean(ErlangNode.class).name();
			assertThat(second.eval("net_adm:ping('" + java + "')")).isEqualTo(new OtpErlangAtom("pong"));
			assertThat(second.eval("rpc:call('" + java + "', nosuch, function, [])").toString()).contains("undef");
		});
	}

	@Test
	void peerWithAnUntrustedCertificateIsRefusedBothWays() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer stranger = tlsPeer(rogue, cookie);
		javaNode(cookie).run((context) -> {
			ErlangNode node = context.getBean(ErlangNode.class);
			assertThat(stranger.eval("net_adm:ping('" + node.name() + "')")).isEqualTo(new OtpErlangAtom("pang"));
			assertThat(node.ping(stranger.nodeName(), java.time.Duration.ofSeconds(5))).isFalse();
			assertThat(node.connectedNodes()).doesNotContain(stranger.nodeName());
		});
	}

	@Test
	void plainTcpPeerIsRefused() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer plain = erlang.peer().cookie(cookie).start();
		javaNode(cookie).run((context) -> {
			ErlangNode node = context.getBean(ErlangNode.class);
			assertThat(plain.eval("net_adm:ping('" + node.name() + "')")).isEqualTo(new OtpErlangAtom("pang"));
			assertThat(node.ping(plain.nodeName(), java.time.Duration.ofSeconds(5))).isFalse();
		});
	}

	@Test
	void unknownBundleFailsStartUpWithAnAnalysis() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ErlangAutoConfiguration.class))
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_tls") + "@127.0.0.1", "erlang.cookie=c",
					"erlang.ssl.bundle=missing")
			.run((context) -> {
				assertThat(context).hasFailed();
				var analysis = new ErlangNodeFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("erlang.ssl.bundle").contains("missing");
				assertThat(analysis.getAction()).contains("spring.ssl.bundle");
			});
	}

}
