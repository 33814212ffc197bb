package io.github.erlangspring.sample;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangPid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.pubsub.PubSubMessage;
import io.github.erlangspring.pubsub.PubSubOperations;
import io.github.erlangspring.pubsub.Subscription;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Pub/sub over the web: a browser follows a topic live through Server-Sent Events (see
 * {@code /pubsub.html}); each open stream is a pg member Erlang publishers reach like any other.
 */
@RestController
public class PubSubController {

	private static final Logger logger = LoggerFactory.getLogger(PubSubController.class);

	private final PubSubOperations pubSub;

	public PubSubController(PubSubOperations pubSub) {
		this.pubSub = pubSub;
	}

	/**
	 * Streams a topic: a {@code subscribed} event naming the subscriber's pid, then one
	 * {@code message} event per message published to the topic, until the browser goes away.
	 */
	@GetMapping(path = "/api/pubsub/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	public SseEmitter stream(@RequestParam(defaultValue = "demo") String topic) throws IOException {
		SseEmitter emitter = new SseEmitter(0L);
		Subscription subscription = this.pubSub.subscribe(topic, (message) -> forward(emitter, message));
		emitter.onCompletion(subscription::close);
		emitter.onTimeout(subscription::close);
		emitter.onError((ex) -> subscription.close());
		emitter.send(SseEmitter.event().name("subscribed").data(String.valueOf(subscription.pid())));
		return emitter;
	}

	private void forward(SseEmitter emitter, PubSubMessage message) {
		try {
			emitter.send(SseEmitter.event()
				.name("message")
				.data(Map.of("topic", String.valueOf(message.topic()), "payload", text(message), "at",
						Instant.now().toString()), MediaType.APPLICATION_JSON));
		}
		catch (IOException | IllegalStateException ex) {
			logger.debug("Browser stream gone: {}", ex.toString());
			emitter.completeWithError(ex);
		}
	}

	private static String text(PubSubMessage message) {
		Object payload = message.payload();
		return (payload instanceof String || payload instanceof Number) ? payload.toString()
				: message.payloadTerm().toString();
	}

	/** Publishes to Java and Erlang subscribers alike. */
	@PostMapping("/api/pubsub/publish")
	public Map<String, Object> publish(@RequestParam(defaultValue = "demo") String topic, @RequestParam String message) {
		return Map.of("topic", topic, "sent", this.pubSub.publish(topic, message));
	}

	/** The topic's subscribers on every node, as Erlang's {@code pg:get_members/2} lists them. */
	@GetMapping("/api/pubsub/members")
	public Map<String, Object> members(@RequestParam(defaultValue = "demo") String topic) {
		List<String> members = this.pubSub.members(topic).stream().map(OtpErlangPid::toString).toList();
		return Map.of("topic", topic, "members", members);
	}

}
