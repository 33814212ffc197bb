package io.github.erlangspring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.erlangspring.test.ErlangPeer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;


import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's Actuator over HTTP, with a real Erlang peer: the {@code erlang} endpoint's JSON,
 * the {@code erlang} health component, and the node meters in Prometheus's format (the names
 * {@code docs/observability.md} lists). The cookie appears nowhere.
 */
class ObservabilityEndpointsTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

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
	void erlangEndpointDescribesTheNode() throws Exception {
		// connected, and the dashboard's subscription to "demo" is a member of that pg group
		await().atMost(WAIT).until(() -> get("/actuator/erlang", "application/json").contains("\"connected\""));
		String body = get("/actuator/erlang", "application/json");
		assertThat(body).doesNotContain(peer.cookie()).doesNotContain("cookie");
		JsonNode erlangNode = json.readTree(body);
		assertThat(erlangNode.get("name").asString()).isEqualTo(node);
		assertThat(erlangNode.get("creation").asInt()).isPositive();
		assertThat(erlangNode.get("running").asBoolean()).isTrue();
		assertThat(erlangNode.get("accepting").asBoolean()).isTrue();
		assertThat(erlangNode.get("port").asInt()).isPositive();
		assertThat(erlangNode.get("epmd").get("mode").asString()).isEqualTo("auto");
		assertThat(erlangNode.get("epmd").get("port").asInt()).isPositive();
		JsonNode peerNode = find(erlangNode.get("peers"), "node", peer.nodeName());
		assertThat(peerNode.get("state").asString()).isEqualTo("connected");
		assertThat(peerNode.get("expected").asBoolean()).isTrue();
		assertThat(peerNode.get("uptime").asString()).startsWith("PT");
		assertThat(peerNode.get("bytesIn").asLong()).isPositive();
		JsonNode counter = find(erlangNode.get("processes"), "name", "counter");
		assertThat(counter.get("type").asString()).isEqualTo("endpoint");
		assertThat(counter.get("mailboxDepth").asInt()).isZero();
		assertThat(json.convertValue(erlangNode.get("rpc").get("greeter"), List.class))
			.isEqualTo(List.of("fail/1", "hello/1"));
		JsonNode pg = find(erlangNode.get("pg"), "scope", "pg");
		assertThat(pg.get("running").asBoolean()).isTrue();
		JsonNode demo = find(pg.get("groups"), "group", "<<\"demo\">>");
		assertThat(demo.get("localMembers").asInt()).isEqualTo(1);
		assertThat(demo.get("members").asInt()).isEqualTo(1);
	}

	@Test
	void healthHasTheErlangComponent() throws Exception {
		await().atMost(WAIT).until(() -> get("/actuator/health", "application/json").contains("\"UP\""));
		String body = get("/actuator/health", "application/json");
		assertThat(body).doesNotContain(peer.cookie());
		JsonNode component = json.readTree(body).get("components").get("erlang");
		assertThat(component.get("status").asString()).isEqualTo("UP");
		assertThat(component.get("details").get("node").asString()).isEqualTo(node);
		assertThat(component.get("details").get("peers").get(peer.nodeName()).get("state").asString())
			.isEqualTo("connected");
	}

	@Test
	void prometheusScrapesTheNodeMeters() throws Exception {
		peer.eval("rpc:call('" + node + "', greeter, hello, [<<\"Prometheus\">>])");
		await().atMost(WAIT).untilAsserted(() -> {
			String scrape = get("/actuator/prometheus", "text/plain;version=0.0.4");
			assertThat(scrape).contains("erlang_node_peers{")
				.containsPattern("erlang_node_connects_total\\{[^}]*peer=\"" + peer.nodeName() + "\"")
				.contains("erlang_node_messages_total{")
				.contains("erlang_node_bytes_total{")
				.containsPattern("erlang_rpc_server_seconds_count\\{[^}]*function=\"hello\",module=\"greeter\",outcome=\"return\"")
				.containsPattern("erlang_process_mailbox_size\\{[^}]*process=\"counter\"")
				.doesNotContain(peer.cookie());
		});
	}

	@Test
	void prometheusScrapesTheObservationsTimersAndActiveMeters() throws Exception {
		// a request into Erlang (client) and a call from Erlang (server), both observed
		get("/api/hello?name=Observed", "application/json");
		peer.eval("rpc:call('" + node + "', greeter, hello, [<<\"Observed\">>])");
		await().atMost(WAIT).untilAsserted(() -> {
			String scrape = get("/actuator/prometheus", "text/plain;version=0.0.4");
			assertThat(scrape)
				.containsPattern("erlang_client_requests_seconds_count\\{[^}]*erlang_interaction=\"rpc\"[^}]*"
						+ "erlang_target=\"demo_peer:hello/1\"[^}]*outcome=\"SUCCESS\"")
				.containsPattern("erlang_server_requests_seconds_count\\{[^}]*erlang_target=\"greeter:hello/1\"")
				.contains("erlang_client_requests_active_seconds")
				.contains("erlang_server_requests_active_seconds")
				.doesNotContain("erlang_caller_pid");
		});
	}

	/**
	 * docs/grafana/erlang-spring-boot.json stays true to the meters: every series it queries is in
	 * the scrape, except the counters that appear only once their event happened.
	 */
	@Test
	void theGrafanaDashboardQueriesSeriesThatExist() throws Exception {
		String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "grafana", "erlang-spring-boot.json"));
		java.util.Set<String> queried = new java.util.TreeSet<>();
		java.util.regex.Matcher names = java.util.regex.Pattern.compile("erlang_[a-z_]+(?=\\{)").matcher(dashboard);
		while (names.find()) {
			queried.add(names.group());
		}
		List<String> onlyAfterTheirEvent = List.of("erlang_node_disconnects_total", "erlang_node_tick_timeouts_total",
				"erlang_node_frames_malformed_total", "erlang_pg_publishes_total", "erlang_pg_deliveries_total",
				"erlang_process_handling_seconds_count", "erlang_state_operations_seconds_count");
		get("/api/hello?name=Grafana", "application/json");
		peer.eval("rpc:call('" + node + "', greeter, hello, [<<\"Grafana\">>])");
		assertThat(queried).hasSizeGreaterThan(10);
		await().atMost(WAIT).untilAsserted(() -> {
			String scrape = get("/actuator/prometheus", "text/plain;version=0.0.4");
			for (String series : queried) {
				if (!onlyAfterTheirEvent.contains(series)) {
					assertThat(scrape).as("the dashboard queries " + series).containsPattern("(?m)^" + series + "\\{");
				}
			}
		});
	}

	private static JsonNode find(JsonNode array, String field, String value) {
		for (JsonNode item : array) {
			if (value.equals(item.get(field).asString())) {
				return item;
			}
		}
		throw new AssertionError("no " + field + "=" + value + " in " + array);
	}

	private static String get(String path, String accept) throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Accept", accept).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return response.body();
	}

}
