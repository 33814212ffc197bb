package io.github.erlangspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.observation.ErlangObservations;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import io.github.erlangspring.web.ErlangHookFilter;
import io.github.erlangspring.web.HookFailureMode;
import io.github.erlangspring.web.Hooks;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace across the boundary, with Micrometer Tracing's test tracer and a W3C
 * {@code traceparent} propagator: a request in Java calls a function registered on a real Erlang
 * node through spring_bridge, which reads the trace context and calls back into Java with
 * {@code spring_bridge:call_java/4}; the Java handler runs in the same trace, as a child of the
 * client span. A plain {@code rpc:call} carries no context and starts a trace of its own.
 */
class ErlangTracingTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		peer = erlang.start();
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ErlangAutoConfiguration.class, ErlangBridgeAutoConfiguration.class))
			.withUserConfiguration(Traced.class)
			.withPropertyValues("erlang.node=" + ErlangPeer.uniqueAlive("esb_tr") + "@127.0.0.1",
					"erlang.cookie=" + peer.cookie(), "erlang.connect=" + peer.nodeName(),
					"erlang.default-peer=" + peer.nodeName());
	}

	private static String javaNode(AssertableApplicationContext context) {
		ErlangNode node = context.getBean(ErlangNode.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> node.connectedNodes().contains(peer.nodeName()));
		context.getBean(SpringBridgeLoader.class).load(peer.nodeName());
		return node.name();
	}

	private static SimpleSpan span(SimpleTracer tracer, String name) {
		return tracer.getSpans()
			.stream()
			.filter((span) -> name.equals(span.getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span " + name + " in "
					+ tracer.getSpans().stream().map(SimpleSpan::getName).toList()));
	}

	@Test
	void aRequestThatCallsErlangWhichCallsBackIntoJavaIsOneTrace() {
		runner().run((context) -> {
			String javaNode = javaNode(context);
			assertThat(peer.eval("spring_bridge:register_function(relay, fun(X) -> "
					+ "[maps:get(<<\"traceparent\">>, spring_bridge:trace_context(), <<\"none\">>), "
					+ "spring_bridge:call_java('" + javaNode + "', traced, echo, [X])] end)"))
				.hasToString("ok");
			SimpleTracer tracer = context.getBean(SimpleTracer.class);
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation request = Observation.start("http.server.requests", registry);
			List<Object> answer;
			try (Observation.Scope scope = request.openScope()) {
				@SuppressWarnings("unchecked")
				List<Object> relayed = context.getBean(ErlangOperations.class).callFunction("relay", List.class, "hi");
				answer = relayed;
			}
			finally {
				request.stop();
			}
			SimpleSpan root = span(tracer, "http.server.requests");
			SimpleSpan client = span(tracer, "function relay");
			SimpleSpan server = span(tracer, "rpc traced:echo/1");
			assertThat(client.getTraceId()).isEqualTo(root.getTraceId());
			assertThat(client.getParentId()).isEqualTo(root.getSpanId());
			assertThat(server.getTraceId()).as("the call back into Java continues the trace").isEqualTo(root.getTraceId());
			assertThat(server.getParentId()).isEqualTo(client.getSpanId());
			// Erlang saw the W3C context, and the Java handler ran in the trace, with its ids in the MDC
			assertThat(answer).containsExactly("00-" + root.getTraceId() + "-" + client.getSpanId() + "-01", "echo:hi");
			Traced traced = context.getBean(Traced.class);
			assertThat(traced.seen).containsExactly(root.getTraceId() + " " + peer.nodeName());
		});
	}

	@Test
	void aWebHookGetsTheRequestsTraceContext() {
		runner().run((context) -> {
			javaNode(context);
			assertThat(peer.eval("spring_bridge:register_function(trace_hook, fun(_Request) -> "
					+ "persistent_term:put(esb_hook_trace, spring_bridge:trace_context()), continue end)")).hasToString("ok");
			ErlangHookFilter filter = new ErlangHookFilter(context.getBean(ErlangNode.class), peer.nodeName(),
					new Hooks("trace_hook", null, null), Duration.ofSeconds(10), HookFailureMode.CLOSED, 503);
			filter.setObservations(context.getBean(ErlangObservations.class));
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			Observation request = Observation.start("http.server.requests", registry);
			MockHttpServletResponse response = new MockHttpServletResponse();
			try (Observation.Scope scope = request.openScope()) {
				filter.doFilter(new MockHttpServletRequest("GET", "/traced"), response, new MockFilterChain());
			}
			finally {
				request.stop();
			}
			assertThat(response.getStatus()).isEqualTo(200);
			SimpleTracer tracer = context.getBean(SimpleTracer.class);
			SimpleSpan root = span(tracer, "http.server.requests");
			SimpleSpan hook = span(tracer, "function trace_hook");
			assertThat(hook.getTraceId()).isEqualTo(root.getTraceId());
			assertThat(hook.getParentId()).isEqualTo(root.getSpanId());
			assertThat(peer.eval("maps:get(<<\"traceparent\">>, persistent_term:get(esb_hook_trace)) =:= <<\"00-"
					+ root.getTraceId() + "-" + hook.getSpanId() + "-01\">>")).hasToString("true");
		});
	}

	@Test
	void aPlainRpcFromErlangCarriesNoContextAndStartsATrace() {
		runner().run((context) -> {
			String javaNode = javaNode(context);
			assertThat(peer.eval("rpc:call('" + javaNode + "', traced, echo, [<<\"plain\">>])").toString())
				.isEqualTo("#Bin<10>");
			SimpleSpan server = span(context.getBean(SimpleTracer.class), "rpc traced:echo/1");
			assertThat(server.getParentId()).as("no parent: a new trace").isNullOrEmpty();
			// tags are set when the span ends, a moment after the caller got its answer
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.getTags())
				.containsEntry("erlang.peer", peer.nodeName())
				.hasEntrySatisfying("erlang.caller.pid", (pid) -> assertThat(pid).startsWith("<" + peer.nodeName())));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Traced {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Bean
		SimpleTracer simpleTracer() {
			return new SimpleTracer();
		}

		@Bean
		ObservationRegistry observationRegistry(SimpleTracer tracer) {
			Propagator propagator = new TraceParent(tracer);
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
						new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
						new DefaultTracingObservationHandler(tracer)));
			return registry;
		}

		@Bean
		Echo echo(ObjectProvider<SimpleTracer> tracer) {
			return new Echo(tracer, this.seen);
		}

	}

	@ErlangRpc(module = "traced")
	static class Echo {

		private final ObjectProvider<SimpleTracer> tracer;

		private final List<String> seen;

		Echo(ObjectProvider<SimpleTracer> tracer, List<String> seen) {
			this.tracer = tracer;
			this.seen = seen;
		}

		@ErlangRpc
		String echo(String text) {
			Span current = this.tracer.getObject().currentSpan();
			this.seen.add(((current != null) ? current.context().traceId() : "no-span") + " "
					+ MDC.get(io.github.erlangspring.observation.ErlangObservations.MDC_PEER));
			return "echo:" + text;
		}

	}

	/** W3C {@code traceparent} only: {@code 00-<trace id>-<span id>-01}. */
	static final class TraceParent implements Propagator {

		private final SimpleTracer tracer;

		TraceParent(SimpleTracer tracer) {
			this.tracer = tracer;
		}

		@Override
		public List<String> fields() {
			return List.of("traceparent");
		}

		@Override
		public <C> void inject(TraceContext context, C carrier, Setter<C> setter) {
			setter.set(carrier, "traceparent", "00-" + context.traceId() + "-" + context.spanId() + "-01");
		}

		@Override
		public <C> Span.Builder extract(C carrier, Getter<C> getter) {
			String header = getter.get(carrier, "traceparent");
			if (header == null) {
				return this.tracer.spanBuilder();
			}
			String[] parts = header.split("-");
			TraceContext parent = this.tracer.traceContextBuilder().traceId(parts[1]).spanId(parts[2]).sampled(true).build();
			return this.tracer.spanBuilder().setParent(parent);
		}

	}

}
