package io.github.erlangspring.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.ericsson.otp.erlang.OtpErlangLong;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A user's application (src/it/inventory-app: Spring Boot's parent, erlang-spring-boot-starter and
 * nothing else; no web server) built by the maven-invoker-plugin against this project's installed
 * artifacts, then run as its users run it: {@code java -jar}, with no Erlang installation on its
 * PATH, the embedded EPMD serving, and a real erl node calling it.
 */
class InventoryApplicationIT {

	private static final Path APP_DIR = Path.of(System.getProperty("user.app.dir"));

	private static final Path LOCAL_REPO = Path.of(System.getProperty("user.app.local-repo"));

	@RegisterExtension
	final ErlangPeerExtension peers = new ErlangPeerExtension();

	private Process app;

	@AfterEach
	void stopApp() {
		if (this.app != null && this.app.isAlive()) {
			this.app.destroyForcibly();
		}
	}

	@Test
	void theApplicationWasBuiltFromThisProjectsArtifactsAloneWithNothingFromOtp() throws IOException {
		assertThat(LOCAL_REPO.resolve("io/github/erlangspring/erlang-spring-boot-starter")).isDirectory();
		assertThat(LOCAL_REPO.resolve("io/github/erlangspring/jinterface")).isDirectory();
		assertThat(LOCAL_REPO.resolve("org/erlang")).as("an OTP artifact in the application's repository")
			.doesNotExist();
		try (JarFile jar = new JarFile(appJar().toFile())) {
			List<String> libs = jar.stream()
				.map((entry) -> entry.getName())
				.filter((name) -> name.startsWith("BOOT-INF/lib/"))
				.toList();
			assertThat(libs).anyMatch((name) -> name.matches("BOOT-INF/lib/erlang-spring-boot-autoconfigure-.*\\.jar"))
				.anyMatch((name) -> name.matches("BOOT-INF/lib/jinterface-.*\\.jar"))
				.noneMatch((name) -> name.contains("OtpErlang"))
				.noneMatch((name) -> name.contains("tomcat") || name.contains("netty"));
		}
	}

	@Test
	void withNoErlangOnItsPathTheApplicationStaysUpAndErlangCallsIt() throws Exception {
		String cookie = ErlangPeer.randomCookie();
		String node = ErlangPeer.uniqueAlive("esb_tinv") + "@127.0.0.1";
		int epmdPort = freePort();
		Path log = APP_DIR.resolve("target/inventory-app-" + epmdPort + ".log");
		Path emptyPath = Files.createTempDirectory("no-erlang");
		ProcessBuilder builder = new ProcessBuilder(javaBinary(), "-jar", appJar().toString(),
				"--erlang.epmd.mode=always", "--erlang.epmd.port=" + epmdPort)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		Map<String, String> env = builder.environment();
		env.keySet().removeIf((name) -> name.startsWith("ERL") || name.startsWith("ERLANG"));
		env.put("PATH", emptyPath.toString());
		env.put("ERLANG_NODE", node);
		env.put("ERLANG_COOKIE", cookie);
		this.app = builder.start();

		await().atMost(Duration.ofSeconds(90)).until(() -> started(log) || !this.app.isAlive());
		assertThat(this.app.isAlive()).as("the application is running; its log:%n%s", read(log)).isTrue();
		assertThat(read(log)).contains("Started InventoryApplication").doesNotContain("Tomcat", "Netty");

		// The embedded EPMD of the application is the only one on this port: erl registers there
		// and finds the application by name through it.
		ErlangPeer erlang = this.peers.peer().cookie(cookie).epmdPort(epmdPort).start();
		assertThat(erlang.eval("rpc:call('" + node + "', inventory, reserve, [<<\"sku-1\">>, 3])"))
			.isEqualTo(new OtpErlangLong(7));
		assertThat(erlang.eval("erpc:call('" + node + "', inventory, level, [<<\"sku-1\">>])"))
			.isEqualTo(new OtpErlangLong(7));
		assertThat(erlang.eval("gen_server:call({tally, '" + node + "'}, incr)")).isEqualTo(new OtpErlangLong(1));
		assertThat(erlang.eval("gen_server:call({tally, '" + node + "'}, incr)")).isEqualTo(new OtpErlangLong(2));
		assertThat(erlang.eval("{ok, Names} = erl_epmd:names(\"127.0.0.1\"), lists:sort([N || {N, _} <- Names])")
			.toString()).contains("\"" + node.substring(0, node.indexOf('@')) + "\"");

		// main() returned long ago: only the node's keep-alive holds the JVM. SIGTERM stops it
		// cleanly, as it stops any Spring Boot application.
		assertThat(this.app.isAlive()).isTrue();
		this.app.destroy();
		assertThat(this.app.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
		assertThat(read(log)).doesNotContain(cookie);
	}

	private static Path appJar() throws IOException {
		Path target = APP_DIR.resolve("target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().matches("inventory-app-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new AssertionError("the invoker build made no jar in " + target
						+ "; see " + APP_DIR.resolve("build.log")));
		}
	}

	private static boolean started(Path log) throws IOException {
		return read(log).contains("Started InventoryApplication");
	}

	private static String read(Path log) throws IOException {
		return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
	}

	private static String javaBinary() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
