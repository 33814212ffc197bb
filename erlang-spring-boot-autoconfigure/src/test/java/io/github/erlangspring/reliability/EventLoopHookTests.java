package io.github.erlangspring.reliability;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import com.ericsson.otp.erlang.OtpErlangAtom;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.web.ErlangHookFilter;
import io.github.erlangspring.web.ErlangHookWebFilter;
import io.github.erlangspring.web.HookFailureMode;
import io.github.erlangspring.web.Hooks;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux hook never starts its call on the thread that runs the filter (an event loop): the
 * call may connect, or write to a peer that stopped reading, and either can take seconds.
 */
class EventLoopHookTests {

	@Test
	void hookCallsStartOffTheEventLoop() {
		AtomicReference<String> calledOn = new AtomicReference<>();
		ErlangNode node = (ErlangNode) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ErlangNode.class }, (proxy, method, args) -> {
					if (method.getName().equals("rpc")) {
						calledOn.set(Thread.currentThread().getName());
						return CompletableFuture.completedFuture(new OtpErlangAtom("continue"));
					}
					throw new UnsupportedOperationException(method.getName());
				});
		ErlangHookWebFilter filter = new ErlangHookWebFilter(node, "esb_hooks@127.0.0.1",
				new Hooks("esb_on_request", null, null), Duration.ofSeconds(2), HookFailureMode.CLOSED,
				503);
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/p"));
		Scheduler eventLoop = Schedulers.newSingle("reactor-http-nio-test");
		try {
			Mono.defer(() -> filter.filter(exchange, (ex) -> {
				ex.getResponse().setStatusCode(HttpStatus.OK);
				return ex.getResponse().setComplete();
			})).subscribeOn(eventLoop).block(Duration.ofSeconds(10));
		}
		finally {
			eventLoop.dispose();
		}
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(calledOn.get()).isNotNull().doesNotStartWith("reactor-http-nio");
	}

}
