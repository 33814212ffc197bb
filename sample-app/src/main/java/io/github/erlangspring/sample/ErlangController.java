package io.github.erlangspring.sample;

import java.util.Map;

import io.github.erlangspring.core.ErlangOperations;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Web endpoints that call into the Erlang peer ({@code erlang.default-peer}).
 */
@RestController
public class ErlangController {

	private static final Logger logger = LoggerFactory.getLogger(ErlangController.class);

	private final ErlangOperations erlang;

	private final Counter counter;

	public ErlangController(ErlangOperations erlang, Counter counter) {
		this.erlang = erlang;
		this.counter = counter;
	}

	/** Calls {@code demo_peer:hello/1} on the Erlang peer. */
	@GetMapping("/api/hello")
	public Map<String, Object> hello(@RequestParam(defaultValue = "Spring") String name) {
		return Map.of("node", this.erlang.node(), "erlang", this.erlang.rpc(null, "demo_peer", "hello", String.class, name));
	}

	/**
	 * Calls {@code demo_peer}'s registered function {@code demo_trace} through spring_bridge, which
	 * calls back into {@code greeter:hello/1} here: with tracing on, the request, the call into
	 * Erlang and the call back are one trace, and both Java log lines carry its id.
	 */
	@GetMapping("/api/trace")
	public Map<String, Object> trace(@RequestParam(defaultValue = "Spring") String name) {
		logger.info("Calling demo_trace on the Erlang peer for {}", name);
		Map<?, ?> result = this.erlang.callFunction("demo_trace", Map.class, this.erlang.node(), name);
		Map<String, Object> answer = new java.util.LinkedHashMap<>();
		result.forEach((key, value) -> answer.put(String.valueOf(key), value));
		return answer;
	}

	/** This node, its peers, and the counter Erlang drives. */
	@GetMapping("/api/status")
	public Map<String, Object> status() {
		return Map.of("node", this.erlang.node(), "peers", this.erlang.nodes(), "counter", this.counter.get());
	}

}
