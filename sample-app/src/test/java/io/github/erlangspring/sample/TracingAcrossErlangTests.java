package io.github.erlangspring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.erlangspring.test.ErlangPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample with tracing on (Micrometer Tracing, Brave, W3C propagation): a web request that
 * calls Erlang through spring_bridge, which calls back into Java, logs one trace id on both Java
 * log lines, and the Erlang function saw that trace in its trace context.
 */
class TracingAcrossErlangTests {

	@RegisterExtension
	static final RunningSample sample = new RunningSample();

	@Test
	void aRequestThroughErlangAndBackLogsOneTraceId() throws Exception {
		ErlangPeer peer = sample.peer();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> peer.eval("whereis(spring_bridge_server) =/= undefined").toString().equals("true"));
		assertThat(peer.eval("demo_peer:register_hooks()")).hasToString("ok");
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		logs.start();
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.addAppender(logs);
		String name = "n" + UUID.randomUUID().toString().substring(0, 8);
		JsonNode answer;
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sample.port() + "/api/trace?name=" + name))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			answer = JsonMapper.builder().build().readTree(response.body());
		}
		finally {
			root.detachAppender(logs);
		}
		assertThat(answer.get("greeting").asString()).isEqualTo("Hello, " + name + "!");
		String traceParent = answer.get("traceparent").asString();
		assertThat(traceParent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
		String traceId = traceParent.split("-")[1];

		List<ILoggingEvent> events = List.copyOf(logs.list);
		ILoggingEvent request = only(events, "Calling demo_trace on the Erlang peer for " + name);
		ILoggingEvent callBack = only(events, "Greeting " + name);
		assertThat(request.getMDCPropertyMap()).containsEntry("traceId", traceId);
		assertThat(callBack.getMDCPropertyMap()).as("the call back from Erlang, on another thread")
			.containsEntry("traceId", traceId)
			.containsEntry("erlang.peer", peer.nodeName());
		assertThat(callBack.getThreadName()).isNotEqualTo(request.getThreadName());
	}

	private static ILoggingEvent only(List<ILoggingEvent> events, String message) {
		List<ILoggingEvent> found = events.stream().filter((event) -> message.equals(event.getFormattedMessage())).toList();
		assertThat(found).as("log lines '" + message + "'").hasSize(1);
		return found.get(0);
	}

}
