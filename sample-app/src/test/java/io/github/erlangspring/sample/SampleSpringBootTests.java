package io.github.erlangspring.sample;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangLong;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.context.AutoConfigureErlangPeer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a user tests their application: a {@code @SpringBootTest} with a real Erlang peer
 * from {@link AutoConfigureErlangPeer} (with {@code demo_peer}'s code and {@code pg}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureErlangPeer(nodePrefix = "sample", codePath = "target/erlang/ebin",
		args = { "-kernel", "start_pg", "true" })
class SampleSpringBootTests {

	@Autowired
	ErlangPeer peer;

	@Autowired
	ErlangNode node;

	@LocalServerPort
	int port;

	@Test
	void erlangCallsTheSample() {
		assertThat(this.peer.eval("rpc:call('" + this.node.name() + "', greeter, hello, [<<\"World\">>])"))
			.isEqualTo(new OtpErlangBinary("Hello, World!".getBytes()));
		assertThat(this.peer.eval("gen_server:call({counter, '" + this.node.name() + "'}, get)"))
			.isInstanceOf(OtpErlangLong.class);
	}

	@Test
	void theSampleCallsThePeerOverHttp() throws Exception {
		java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://localhost:" + this.port + "/api/hello?name=Test"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("Hello from Erlang, Test!");
		assertThat(this.peer.eval("lists:member('" + this.node.name() + "', nodes(hidden))"))
			.isEqualTo(new OtpErlangAtom("true"));
	}

}
