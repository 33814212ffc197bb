package io.github.erlangspring.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.erlangspring.autoconfigure.ErlangAutoConfiguration;
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

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.q;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS distribution takes the SSL bundle as configured: its protocols are the only ones used, a
 * bundle without trust material is refused at start-up (rather than trusting the JDK's public
 * CAs), and with erlang.ssl.verify-hostname a peer's certificate must name the host connected to.
 */
class TlsHardeningTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@TempDir
	static Path dir;

	static Path ca;

	@BeforeAll
	static void certificates() throws Exception {
		ErlangRuntime.ensureEpmd();
		ca = Files.createDirectories(dir.resolve("ca"));
		openssl(ca, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days",
				"2", "-subj", "/CN=esb-hardening-ca");
		// this host's certificate, and one from the same CA naming another host
		certificate("here", "subjectAltName=IP:127.0.0.1,DNS:127.0.0.1,DNS:localhost\n", "verify_peer");
		certificate("elsewhere", "subjectAltName=DNS:elsewhere.invalid\n", "verify_none");
	}

	private static void certificate(String name, String san, String clientVerify) throws Exception {
		Path where = Files.createDirectories(dir.resolve(name));
		openssl(where, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "node.key", "-out", "node.csr", "-subj",
				"/CN=esb-" + name);
		Files.writeString(where.resolve("san.ext"), san);
		openssl(where, "x509", "-req", "-in", "node.csr", "-CA", ca.resolve("ca.pem").toString(), "-CAkey",
				ca.resolve("ca.key").toString(), "-CAcreateserial", "-out", "node.pem", "-days", "2", "-extfile",
				"san.ext");
		// TLS 1.3 only, so that a Java node restricted to TLS 1.2 cannot talk to it
		String options = "[{server, [{certfile, \"%1$s/node.pem\"}, {keyfile, \"%1$s/node.key\"}, "
				+ "{cacertfile, \"%2$s/ca.pem\"}, {verify, verify_peer}, {fail_if_no_peer_cert, true}, "
				+ "{versions, ['tlsv1.3']}]},\n {client, [{certfile, \"%1$s/node.pem\"}, {keyfile, \"%1$s/node.key\"}, "
				+ "{cacertfile, \"%2$s/ca.pem\"}, {verify, %3$s}, {versions, ['tlsv1.3']}]}].\n";
		Files.writeString(where.resolve("dist.conf"), String.format(options, where, ca, clientVerify));
	}

	private static void openssl(Path where, String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of("openssl"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).directory(where.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("openssl %s: %s", args[0], output).isZero();
	}

	private static ErlangPeer tlsPeer(String certificate, String cookie) {
		return erlang.peer()
			.cookie(cookie)
			.args("-proto_dist", "inet_tls", "-ssl_dist_optfile", dir.resolve(certificate).resolve("dist.conf").toString())
			.start();
	}

	private ApplicationContextRunner javaNode(String cookie, String... more) {
		Path here = dir.resolve("here");
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ErlangAutoConfiguration.class))
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_tlsh") + "@127.0.0.1",
					"erlang.cookie=" + cookie, "erlang.ssl.bundle=dist",
					"spring.ssl.bundle.pem.dist.keystore.certificate=file:" + here.resolve("node.pem"),
					"spring.ssl.bundle.pem.dist.keystore.private-key=file:" + here.resolve("node.key"),
					"spring.ssl.bundle.pem.dist.truststore.certificate=file:" + ca.resolve("ca.pem"))
			.withPropertyValues(more);
	}

	@Test
	void theBundlesProtocolsAreTheOnlyOnesUsed() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer peer = tlsPeer("here", cookie);
		javaNode(cookie).run((context) -> assertThat(peer.eval("net_adm:ping(" + q(name(context)) + ")"))
			.isEqualTo(atom("pong")));
		javaNode(cookie, "spring.ssl.bundle.pem.dist.options.enabled-protocols=TLSv1.2").run((context) -> {
			assertThat(context).hasNotFailed();
			ErlangNode node = context.getBean(ErlangNode.class);
			assertThat(peer.eval("net_adm:ping(" + q(node.name()) + ")")).isEqualTo(atom("pang"));
			assertThat(node.ping(peer.nodeName(), Duration.ofSeconds(5))).isFalse();
		});
	}

	@Test
	void aBundleWithoutTrustMaterialFailsStartUp() {
		Path here = dir.resolve("here");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, ErlangAutoConfiguration.class))
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_tlsh") + "@127.0.0.1",
					"erlang.cookie=" + ErlangPeer.randomCookie(), "erlang.ssl.bundle=dist",
					"spring.ssl.bundle.pem.dist.keystore.certificate=file:" + here.resolve("node.pem"),
					"spring.ssl.bundle.pem.dist.keystore.private-key=file:" + here.resolve("node.key"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("no trust store");
			});
	}

	@Test
	void withHostnameVerificationAPeerCertificateMustNameItsHost() {
		String cookie = ErlangPeer.randomCookie();
		ErlangPeer elsewhere = tlsPeer("elsewhere", cookie);
		ErlangPeer here = tlsPeer("here", cookie);
		javaNode(cookie).run((context) -> assertThat(
				context.getBean(ErlangNode.class).ping(elsewhere.nodeName(), Duration.ofSeconds(5)))
			.isTrue());
		javaNode(cookie, "erlang.ssl.verify-hostname=true").run((context) -> {
			ErlangNode node = context.getBean(ErlangNode.class);
			assertThat(node.ping(elsewhere.nodeName(), Duration.ofSeconds(5))).isFalse();
			assertThat(node.ping(here.nodeName(), Duration.ofSeconds(5))).isTrue();
		});
	}

	private static String name(org.springframework.context.ApplicationContext context) {
		return context.getBean(ErlangNode.class).name();
	}

}
