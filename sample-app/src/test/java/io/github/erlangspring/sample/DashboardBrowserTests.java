package io.github.erlangspring.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.ericsson.otp.erlang.OtpErlangLong;
import io.github.erlangspring.test.ErlangPeer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real (headless) browser: it shows the connected Erlang peer, and what the
 * peer does shows up live: its RPC call, the counter it increments, the message it publishes.
 */
class DashboardBrowserTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	static final RunningSample sample = new RunningSample();

	static ErlangPeer peer;

	static String node;

	static int port;

	@BeforeAll
	static void start() {
		peer = sample.peer();
		node = sample.node();
		port = sample.port();
	}

	@Test
	void showsTheNodeAndWhatTheErlangPeerDoes() throws Exception {
		try (HeadlessChromium browser = HeadlessChromium.open("http://127.0.0.1:" + port + "/dashboard.html")) {
			await().atMost(WAIT).until(() -> node.equals(text(browser, "node-name")));
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(text(browser, "health")).isEqualTo("UP");
				assertThat(text(browser, "peers")).contains(peer.nodeName()).contains("connected");
				assertThat(text(browser, "processes")).contains("counter").contains("endpoint");
				assertThat(text(browser, "rpc")).contains("greeter: fail/1, hello/1");
			});

			String name = "Dashboard" + ErlangPeer.randomCookie().substring(0, 6);
			peer.eval("rpc:call('" + node + "', greeter, hello, [<<\"" + name + "\">>])");
			await().atMost(WAIT).untilAsserted(() -> assertThat(text(browser, "calls"))
				.contains("Erlang \u2192 Java").contains("greeter:hello/1").contains("return"));

			long counter = ((OtpErlangLong) peer.eval("gen_server:call({counter, '" + node + "'}, incr)")).longValue();
			await().atMost(WAIT).until(() -> String.valueOf(counter).equals(text(browser, "counter")));

			String tick = "from the test " + ErlangPeer.randomCookie().substring(0, 6);
			await().atMost(WAIT).until(() -> ((OtpErlangLong) peer
				.eval("demo_peer:publish(<<\"demo\">>, <<\"" + tick + "\">>)")).longValue() >= 1);
			await().atMost(WAIT).untilAsserted(() -> {
				assertThat(text(browser, "feed")).contains(tick);
				assertThat(text(browser, "pg")).contains("<<\"demo\">>");
			});

			// zoomed out, so that every panel is in the picture
			browser.evaluate("document.body.style.zoom = '0.62'");
			Path screenshot = Path.of("target", "dashboard.png");
			browser.screenshot(screenshot);
			assertThat(Files.size(screenshot)).isGreaterThan(1000);
		}
	}

	private static String text(HeadlessChromium browser, String id) {
		return browser.evaluate("document.getElementById('" + id + "').innerText");
	}

}
