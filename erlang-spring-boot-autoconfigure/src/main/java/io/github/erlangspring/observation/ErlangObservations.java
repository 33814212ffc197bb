package io.github.erlangspring.observation;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import com.ericsson.otp.erlang.OtpErlangPid;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.slf4j.MDC;

/**
 * Runs interactions with Erlang inside Micrometer observations: the one place the templates,
 * {@code @ErlangRpc} methods, {@code @ErlangProcess} handlers and subscribers are observed.
 * Server-side work also runs with the MDC entries {@value #MDC_PEER} (the caller's node) and
 * {@value #MDC_PID} (its pid), and with the observation in scope, so a tracing bridge adds the
 * trace and span ids to the MDC and to anything called from the handler.
 */
public final class ErlangObservations {

	/** The MDC entry with the calling Erlang node. */
	public static final String MDC_PEER = "erlang.peer";

	/** The MDC entry with the calling Erlang pid. */
	public static final String MDC_PID = "erlang.pid";

	/** Observes nothing (server-side work still gets its MDC entries). */
	public static final ErlangObservations NOOP = new ErlangObservations(ObservationRegistry.NOOP, null, null);

	private static final ErlangClientObservationConvention DEFAULT_CLIENT = new DefaultErlangClientObservationConvention();

	private static final ErlangServerObservationConvention DEFAULT_SERVER = new DefaultErlangServerObservationConvention();

	/** Propagation fields sent with the call being served on this thread (spring_trace:call/4). */
	private static final ThreadLocal<Map<String, String>> INCOMING = new ThreadLocal<>();

	private final ObservationRegistry registry;

	private final ErlangClientObservationConvention clientConvention;

	private final ErlangServerObservationConvention serverConvention;

	/**
	 * @param registry where observations go
	 * @param clientConvention replaces the default client convention, or {@code null}
	 * @param serverConvention replaces the default server convention, or {@code null}
	 */
	public ErlangObservations(ObservationRegistry registry, ErlangClientObservationConvention clientConvention,
			ErlangServerObservationConvention serverConvention) {
		this.registry = registry;
		this.clientConvention = clientConvention;
		this.serverConvention = serverConvention;
	}

	/** @return the registry observations go to */
	public ObservationRegistry getRegistry() {
		return this.registry;
	}

	/** Runs {@code work}, a request from Java to {@code peer}, observed. */
	public <T> T client(ErlangInteraction interaction, String peer, String target, Supplier<T> work) {
		if (this.registry.isNoop()) {
			return work.get();
		}
		return client(new ErlangClientContext(interaction, peer, target)).observe(work);
	}

	/** Runs {@code work}, a request from Java to {@code peer}, observed. */
	public void client(ErlangInteraction interaction, String peer, String target, Runnable work) {
		if (this.registry.isNoop()) {
			work.run();
			return;
		}
		client(new ErlangClientContext(interaction, peer, target)).observe(work);
	}

	/**
	 * Runs {@code work}, a request from Java to {@code peer} that can carry propagation fields,
	 * observed: {@code work} gets the fields a tracing bridge put in the observation's carrier
	 * ({@code traceparent}, ...; empty without tracing) to send along.
	 */
	public <T> T clientWithContext(ErlangInteraction interaction, String peer, String target,
			Function<Map<String, String>, T> work) {
		if (this.registry.isNoop()) {
			return work.apply(Map.of());
		}
		ErlangClientContext context = new ErlangClientContext(interaction, peer, target);
		return client(context).observe(() -> work.apply(Map.copyOf(context.getCarrier())));
	}

	/**
	 * Runs {@code work} (which serves a call) with the propagation fields its caller sent, so that
	 * the server observation it opens continues the caller's trace.
	 */
	public static <T> T withIncomingContext(Map<String, String> fields, Observation.CheckedCallable<T, Exception> work)
			throws Exception {
		Map<String, String> previous = INCOMING.get();
		INCOMING.set(fields);
		try {
			return work.call();
		}
		finally {
			if (previous != null) {
				INCOMING.set(previous);
			}
			else {
				INCOMING.remove();
			}
		}
	}

	/**
	 * Starts {@code work}, an asynchronous request that can carry propagation fields, observed
	 * until its result completes: {@code work} gets the fields to send along (empty without
	 * tracing).
	 */
	public <T> CompletableFuture<T> clientAsyncWithContext(ErlangInteraction interaction, String peer, String target,
			Function<Map<String, String>, CompletableFuture<T>> work) {
		if (this.registry.isNoop()) {
			return work.apply(Map.of());
		}
		ErlangClientContext context = new ErlangClientContext(interaction, peer, target);
		return observeAsync(client(context), () -> work.apply(Map.copyOf(context.getCarrier())));
	}

	/** Starts {@code work}, an asynchronous request, observed until its result completes. */
	public <T> CompletableFuture<T> clientAsync(ErlangInteraction interaction, String peer, String target,
			Supplier<CompletableFuture<T>> work) {
		if (this.registry.isNoop()) {
			return work.get();
		}
		return observeAsync(client(new ErlangClientContext(interaction, peer, target)), work);
	}

	private static <T> CompletableFuture<T> observeAsync(Observation observation, Supplier<CompletableFuture<T>> work) {
		observation.start();
		CompletableFuture<T> result;
		try (Observation.Scope scope = observation.openScope()) {
			result = work.get();
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			observation.stop();
			throw ex;
		}
		return result.whenComplete((value, error) -> {
			if (error != null) {
				observation.error(error);
			}
			observation.stop();
		});
	}

	/**
	 * Runs {@code work}, a request from the Erlang process {@code caller} (may be {@code null}),
	 * observed, with the caller in the MDC.
	 */
	public <T> T server(ErlangInteraction interaction, OtpErlangPid caller, String target,
			Observation.CheckedCallable<T, Exception> work) throws Exception {
		String callerNode = (caller != null) ? caller.node() : null;
		String callerPid = (caller != null) ? pid(caller) : null;
		String previousPeer = MDC.get(MDC_PEER);
		String previousPid = MDC.get(MDC_PID);
		put(MDC_PEER, callerNode);
		put(MDC_PID, callerPid);
		try {
			if (this.registry.isNoop()) {
				return work.call();
			}
			Map<String, String> incoming = INCOMING.get();
			INCOMING.remove();
			return Observation
				.createNotStarted(this.serverConvention, DEFAULT_SERVER,
						() -> new ErlangServerContext(interaction, callerNode, callerPid, target, incoming), this.registry)
				.observeChecked(work);
		}
		finally {
			put(MDC_PEER, previousPeer);
			put(MDC_PID, previousPid);
		}
	}

	/**
	 * Records an error that a server-side handler's own error handling took care of (so it did
	 * not leave {@link #server}) on the observation in scope.
	 */
	public void serverError(Throwable error) {
		Observation current = this.registry.getCurrentObservation();
		if (current != null && current.getContext() instanceof ErlangServerContext) {
			current.error(error);
		}
	}

	private Observation client(ErlangClientContext context) {
		return Observation.createNotStarted(this.clientConvention, DEFAULT_CLIENT, () -> context, this.registry);
	}

	/** {@code <Node.Id.Serial>} as Erlang prints a remote pid. */
	private static String pid(OtpErlangPid pid) {
		return "<" + pid.node() + "." + pid.id() + "." + pid.serial() + ">";
	}

	private static void put(String key, String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

}
