package io.github.erlangspring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.Test;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample processed ahead of time ({@code spring-boot:process-aot} in the build) and run from
 * its generated code ({@code -Dspring.aot.enabled=true}, set by the failsafe configuration): its
 * node starts, Erlang calls its {@code @ErlangRpc} function and {@code @ErlangProcess}, and it
 * calls Erlang back.
 */
class SampleAotIT {

	@Test
	void aotProcessingRecordedTheHintsANativeImageNeeds() throws Exception {
		String metadata = java.nio.file.Files.readString(Path.of(
				"target/spring-aot/main/resources/META-INF/native-image/io.github.erlangspring/sample-app/reachability-metadata.json"));
		assertThat(metadata).as("handler methods")
			.contains("\"io.github.erlangspring.sample.Greeter\"")
			.contains("\"io.github.erlangspring.sample.Counter\"")
			.contains("\"hello\"")
			.contains("\"incr\"");
		assertThat(metadata.replace("\\/", "/")).as("the Erlang modules loaded from the jar")
			.contains("\"erlang/ebin/*.beam\"");
	}

	@Test
	void theAotProcessedSampleServesErlang() throws Exception {
		assertThat(AotDetector.useGeneratedArtifacts()).as("runs with spring.aot.enabled=true").isTrue();
		Class.forName("io.github.erlangspring.sample.SampleApplication__ApplicationContextInitializer");
		ErlangRuntime.ensureEpmd();
		try (ErlangPeer peer = ErlangPeer.builder()
			.codePath(Path.of("target/erlang/ebin"))
			.args("-kernel", "start_pg", "true")
			.start()) {
			String node = ErlangPeer.uniqueAlive("sample_aot") + "@127.0.0.1";
			SpringApplication application = new SpringApplication(SampleApplication.class);
			// the AOT initializer is looked up by the main class, which here is not on the stack
			application.setMainApplicationClass(SampleApplication.class);
			try (ConfigurableApplicationContext app = application.run("--server.port=0", "--erlang.node=" + node, "--erlang.cookie=" + peer.cookie(),
					"--erlang.default-peer=" + peer.nodeName(), "--erlang.connect=" + peer.nodeName())) {
				assertThat(peer.eval("rpc:call('" + node + "', greeter, hello, [<<\"AOT\">>])"))
					.isEqualTo(new OtpErlangBinary("Hello, AOT!".getBytes()));
				assertThat(peer.eval("gen_server:call({counter, '" + node + "'}, {add, 5})"))
					.isInstanceOf(OtpErlangLong.class);
				int port = ((WebServerApplicationContext) app).getWebServer().getPort();
				HttpResponse<String> response = HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/hello?name=Aot")).build(),
							HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.body()).contains("Hello from Erlang, Aot!");
			}
		}
	}

}
