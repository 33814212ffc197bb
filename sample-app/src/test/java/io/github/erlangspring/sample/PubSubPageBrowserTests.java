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
 * The live topic page in a real (headless) browser: a message an Erlang node publishes with pg
 * appears on the page.
 */
class PubSubPageBrowserTests {

	@RegisterExtension
	static final RunningSample sample = new RunningSample();

	static ErlangPeer peer;

	static int port;

	@BeforeAll
	static void start() {
		peer = sample.peer();
		port = sample.port();
	}

	private static long members(String topic) {
		return ((OtpErlangLong) peer.eval("length(pg:get_members(pg, <<\"" + topic + "\">>))")).longValue();
	}

	@Test
	void aMessagePublishedInErlangAppearsOnThePage() throws Exception {
		String topic = "browser_" + ErlangPeer.randomCookie().substring(0, 8);
		String text = "hello from erlang " + ErlangPeer.randomCookie().substring(0, 8);
		try (HeadlessChromium browser = HeadlessChromium
			.open("http://127.0.0.1:" + port + "/pubsub.html?topic=" + topic)) {
			// the page's event stream is a pg member on the Erlang node
			await().atMost(Duration.ofSeconds(20)).until(() -> members(topic) == 1);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> "live".equals(browser.evaluate("document.getElementById('status').className")));
			assertThat(browser.evaluate("document.getElementById('messages').innerText")).doesNotContain(text);

			assertThat(peer.eval("demo_peer:publish(<<\"" + topic + "\">>, <<\"" + text + "\">>)"))
				.isEqualTo(new OtpErlangLong(1));

			await().atMost(Duration.ofSeconds(10)).untilAsserted(
					() -> assertThat(browser.evaluate("document.getElementById('messages').innerText")).contains(text));
			Path screenshot = Path.of("target", "pubsub-page.png");
			browser.screenshot(screenshot);
			assertThat(Files.size(screenshot)).isGreaterThan(1000);
		}
		// a stream whose browser went away leaves the topic once a message finds it gone
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
			peer.eval("demo_peer:publish(<<\"" + topic + "\">>, <<\"anyone?\">>)");
			return members(topic) == 0;
		});
	}

}
