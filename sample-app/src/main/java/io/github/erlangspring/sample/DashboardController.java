package io.github.erlangspring.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.erlangspring.autoconfigure.actuate.ErlangEndpoint;
import io.github.erlangspring.autoconfigure.actuate.ErlangHealthIndicator;
import io.github.erlangspring.state.StateOperations;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What {@code /dashboard.html} shows, in one poll: the node as the {@code erlang} Actuator
 * endpoint describes it (peers, processes, functions, pg groups), its health, the recent RPC
 * calls, the pub/sub feed, and the counters shared with Erlang.
 */
@RestController
public class DashboardController {

	private final ErlangEndpoint endpoint;

	private final ObjectProvider<ErlangHealthIndicator> health;

	private final RecentCalls calls;

	private final PubSubFeed feed;

	private final Counter counter;

	private final StateOperations state;

	public DashboardController(ErlangEndpoint endpoint, ObjectProvider<ErlangHealthIndicator> health,
			RecentCalls calls, PubSubFeed feed, Counter counter, StateOperations state) {
		this.endpoint = endpoint;
		this.health = health;
		this.calls = calls;
		this.feed = feed;
		this.counter = counter;
		this.state = state;
	}

	@GetMapping("/api/dashboard")
	public Map<String, Object> dashboard() {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("node", this.endpoint.node());
		ErlangHealthIndicator indicator = this.health.getIfAvailable();
		view.put("health", (indicator != null) ? indicator.health().getStatus().getCode() : "UNKNOWN");
		view.put("calls", this.calls.recent());
		view.put("topic", PubSubFeed.TOPIC);
		view.put("feed", this.feed.recent());
		view.put("counter", this.counter.get());
		Long views = this.state.get(PageViewsController.KEY, Long.class);
		view.put("pageViews", (views != null) ? views : 0L);
		return view;
	}

}
