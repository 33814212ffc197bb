package io.github.erlangspring.test.context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A test suite that switches between two cached contexts, as a user's suite does: classes of
 * context A, then B, then A again. Spring's test framework stops (pauses) the context not in use
 * and starts it again when a class needs it (Spring Framework 7 default,
 * {@code spring.test.context.cache.pause=on_context_switch}); the node, its {@code @ErlangProcess} and its
 * {@code @ErlangRpc} functions answer the Erlang peer again after that restart.
 */
class AlternatingCachedContextsTests {

	static final Map<String, Object> seen = new ConcurrentHashMap<>();

	@Test
	void aPausedCachedContextAnswersAgainWhenItIsUsedAgain() {
		LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
			.selectors(selectClass(FirstA.class), selectClass(SecondB.class), selectClass(ThirdA.class))
			.configurationParameter("junit.jupiter.testclass.order.default", ClassOrderer.OrderAnnotation.class.getName())
			.build();
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		LauncherFactory.create().execute(request, listener);
		TestExecutionSummary summary = listener.getSummary();
		summary.getFailures().forEach((failure) -> failure.getException().printStackTrace());
		assertThat(summary.getTestsSucceededCount()).as("tests of the suite that passed").isEqualTo(3);
		assertThat(summary.getTotalFailureCount()).isZero();
		assertThat(seen.get("A1")).as("context A was cached, not created again").isSameAs(seen.get("A3"));
		assertThat(seen.get("B2")).isNotSameAs(seen.get("A1"));
		assertThat(seen.get("starts A3")).as("starts of context A").isEqualTo(2);
	}

	@SpringBootTest(classes = TestApplication.class)
	@AutoConfigureErlangPeer
	abstract static class ContextA {

		@Autowired
		ErlangNode node;

		@Autowired
		ErlangPeer peer;

		@Autowired
		TestApplication.Starts starts;

		void answers(String key) {
			seen.put(key, this.node);
			seen.put("starts " + key, this.starts.count.get());
			assertThat(this.peer.eval("gen_server:call({counter, '" + this.node.name() + "'}, incr)").toString())
				.matches("\\d+");
			assertThat(this.peer.eval("rpc:call('" + this.node.name() + "', greeter, hello, [<<\"a\">>])").toString())
				.doesNotContain("badrpc");
		}

	}

	@Order(1)
	static class FirstA extends ContextA {

		@Test
		void answers() {
			answers("A1");
		}

	}

	@Order(2)
	@SpringBootTest(classes = TestApplication.class, properties = "context=b")
	@AutoConfigureErlangPeer
	static class SecondB {

		@Autowired
		ErlangNode node;

		@Autowired
		ErlangPeer peer;

		@Test
		void answers() {
			seen.put("B2", this.node);
			assertThat(this.peer.eval("gen_server:call({counter, '" + this.node.name() + "'}, incr)").toString())
				.matches("\\d+");
		}

	}

	@Order(3)
	static class ThirdA extends ContextA {

		@Test
		void answers() {
			answers("A3");
		}

	}

}
