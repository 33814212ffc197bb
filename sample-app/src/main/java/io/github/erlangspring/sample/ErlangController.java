package io.github.erlangspring.sample;

import java.util.Map;

import io.github.erlangspring.core.ErlangOperations;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Web endpoints that call into the Erlang peer ({@code erlang.default-peer}).
 */
@RestController
public class ErlangController {

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

	/** This node, its peers, and the counter Erlang drives. */
	@GetMapping("/api/status")
	public Map<String, Object> status() {
		return Map.of("node", this.erlang.node(), "peers", this.erlang.nodes(), "counter", this.counter.get());
	}

}
