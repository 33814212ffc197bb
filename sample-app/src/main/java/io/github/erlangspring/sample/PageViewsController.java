package io.github.erlangspring.sample;

import java.util.Map;

import io.github.erlangspring.state.StateOperations;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A page-view counter kept with {@link StateOperations} (the {@code local} backend, inside this
 * node) and shared with Erlang, which reads and updates the same counter:
 * {@code rpc:call('sample@127.0.0.1', spring_state, get, [<<"page_views">>])}, or
 * {@code demo_peer:page_views('sample@127.0.0.1')}.
 */
@RestController
public class PageViewsController {

	/** The state key of the counter, {@code <<"page_views">>} in Erlang. */
	public static final String KEY = "page_views";

	private final StateOperations state;

	public PageViewsController(StateOperations state) {
		this.state = state;
	}

	/** Counts this view and answers with the total, views from Erlang included. */
	@GetMapping("/api/views")
	public Map<String, Object> views() {
		return Map.of("views", this.state.incr(KEY));
	}

}
