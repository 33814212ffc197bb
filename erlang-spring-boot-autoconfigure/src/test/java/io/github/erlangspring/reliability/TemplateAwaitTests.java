package io.github.erlangspring.reliability;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.core.ErlangNodeTemplate;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangTimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A template call gives up a second after its own timeout even if the node never completes it
 * (as when the timeout sweep was cancelled by one failure): no caller hangs for ever.
 */
class TemplateAwaitTests {

	@Test
	void aCallWhoseTimeoutNeverFiresStillEnds() {
		ErlangNode node = (ErlangNode) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ErlangNode.class }, (proxy, method, args) -> {
					if (method.getName().equals("rpc") || method.getName().equals("call")) {
						return new CompletableFuture<>();
					}
					throw new UnsupportedOperationException(method.getName());
				});
		ErlangNodeTemplate template = new ErlangNodeTemplate(node, new DefaultErlangConverter());
		template.setDefaultTimeout(Duration.ofMillis(200));
		// 1.2 s expected; 30 s tells "ends" from "hangs" on any machine
		assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatExceptionOfType(ErlangTimeoutException.class)
			.isThrownBy(() -> template.rpc("esb_x@127.0.0.1", "m", "f")));
	}

}
