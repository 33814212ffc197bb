package io.github.erlangspring.sample;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.core.ErlangOperations;
import io.github.erlangspring.event.ErlangNodeUpEvent;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * When the Erlang peer connects, calls it once to show the Java-to-Erlang direction.
 */
@Component
public class DemoCalls {

	private static final Logger logger = LoggerFactory.getLogger(DemoCalls.class);

	private final ErlangOperations erlang;

	private final String peer;

	public DemoCalls(ErlangOperations erlang, @Value("${erlang.default-peer:}") String peer) {
		this.erlang = erlang;
		this.peer = peer;
	}

	@EventListener
	public void peerUp(ErlangNodeUpEvent event) {
		if (!event.getNode().equals(this.peer)) {
			return;
		}
		Thread calls = new Thread(() -> {
			try {
				String greeting = this.erlang.rpc(this.peer, "demo_peer", "hello", String.class, "Spring");
				logger.info("Java -> Erlang: demo_peer:hello(<<\"Spring\">>) = {}", greeting);
				Object reversed = this.erlang.rpc(this.peer, "lists", "reverse", java.util.List.of(1, 2, 3));
				logger.info("Java -> Erlang: lists:reverse([1,2,3]) = {}", reversed);
			}
			catch (RuntimeException ex) {
				logger.warn("Java -> Erlang call failed: {}", ex.getMessage());
			}
		}, "demo-calls");
		calls.setDaemon(true);
		calls.start();
	}


}
