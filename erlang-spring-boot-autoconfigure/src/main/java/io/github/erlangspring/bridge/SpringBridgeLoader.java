package io.github.erlangspring.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.erlangspring.endpoint.ErlangEndpointRegistry;
import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.ErlangException;
import io.github.erlangspring.node.ErlangFutures;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeListener;

import org.springframework.context.SmartLifecycle;

/**
 * Makes sure {@code spring_bridge} runs on Erlang nodes: {@link #load(String)} starts the
 * application when the node has it on its code path, and otherwise loads its modules from this
 * jar ({@code erlang/ebin/*.beam}, with {@code code:atomic_load/1}), loads the application spec
 * from {@code erlang/ebin/spring_bridge.app} and starts it. Modules already loaded there are left
 * alone.
 * <p>
 * As a lifecycle bean it also does this in the background for a fixed set of nodes each time
 * they connect (the default peer and the {@code ets} state node), so the bridge is there before
 * it is first used. A node that disconnects is checked again when it comes back, since it may
 * have restarted.
 */
public class SpringBridgeLoader implements NodeListener, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(SpringBridgeLoader.class);

	private static final String EBIN = "erlang/ebin/";

	private final ErlangNode node;

	private final Set<String> nodes;

	private final Duration timeout;

	private final Map<String, CompletableFuture<Void>> loaded = new ConcurrentHashMap<>();

	private volatile ExecutorService executor;

	private volatile boolean running;

	/**
	 * @param node this node
	 * @param nodes the nodes to load the bridge onto whenever they connect
	 * @param timeout how long each step on the remote node may take
	 */
	public SpringBridgeLoader(ErlangNode node, Set<String> nodes, Duration timeout) {
		this.node = node;
		this.nodes = Set.copyOf(nodes);
		this.timeout = timeout;
	}

	/** @return the nodes the bridge is loaded onto when they connect */
	public Set<String> getNodes() {
		return this.nodes;
	}

	/**
	 * Makes sure {@code spring_bridge} is loaded and started on {@code erlangNode}; returns at once
	 * when this was done since the node last connected.
	 * @param erlangNode the node
	 * @throws SpringBridgeException when it cannot be loaded or started
	 * @throws io.github.erlangspring.node.ErlangNodeDownException when the node cannot be reached
	 */
	public void load(String erlangNode) {
		CompletableFuture<Void> mine = new CompletableFuture<>();
		CompletableFuture<Void> existing = this.loaded.putIfAbsent(erlangNode, mine);
		if (existing != null) {
			try {
				existing.join();
				return;
			}
			catch (CompletionException ex) {
				// that attempt failed and is forgotten: try again ourselves
				load(erlangNode);
				return;
			}
		}
		try {
			install(erlangNode);
			mine.complete(null);
		}
		catch (RuntimeException ex) {
			this.loaded.remove(erlangNode, mine);
			mine.completeExceptionally(ex);
			throw ex;
		}
	}

	private void install(String erlangNode) {
		OtpErlangAtom application = new OtpErlangAtom(SpringBridge.APPLICATION);
		if (isOk(rpc(erlangNode, "application", "ensure_all_started", application))) {
			checkVersion(erlangNode);
			return;
		}
		OtpErlangObject spec = parseAppSpec(erlangNode);
		List<OtpErlangObject> modules = new ArrayList<>();
		for (OtpErlangObject module : modules(spec)) {
			if (isAtom(rpc(erlangNode, "code", "is_loaded", module), "false")) {
				String name = ((OtpErlangAtom) module).atomValue();
				modules.add(tuple(module, new OtpErlangString("erlang-spring-boot/" + EBIN + name + ".beam"),
						new OtpErlangBinary(resource(name + ".beam"))));
			}
		}
		if (!modules.isEmpty()) {
			OtpErlangObject result = rpc(erlangNode, "code", "atomic_load",
					new OtpErlangList(modules.toArray(new OtpErlangObject[0])));
			if (!isAtom(result, "ok")) {
				throw new SpringBridgeException("Could not load spring_bridge's modules onto " + erlangNode + ": " + result);
			}
		}
		OtpErlangObject load = rpc(erlangNode, "application", "load", spec);
		if (!isAtom(load, "ok") && !(load instanceof OtpErlangTuple error && error.arity() == 2
				&& error.elementAt(1) instanceof OtpErlangTuple already && already.arity() == 2
				&& isAtom(already.elementAt(0), "already_loaded"))) {
			throw new SpringBridgeException("Could not load the spring_bridge application on " + erlangNode + ": " + load);
		}
		OtpErlangObject started = rpc(erlangNode, "application", "ensure_all_started", application);
		if (!isOk(started)) {
			throw new SpringBridgeException("Could not start spring_bridge on " + erlangNode + ": " + started);
		}
		logger.info("Loaded spring_bridge onto {} ({} modules from this application's jar)", erlangNode,
				modules.size());
		checkVersion(erlangNode);
	}

	/** The application spec, parsed by the node itself ({@code erl_scan}, {@code erl_parse}). */
	private OtpErlangObject parseAppSpec(String erlangNode) {
		String text = new String(resource(SpringBridge.APPLICATION + ".app"), StandardCharsets.UTF_8);
		OtpErlangObject scanned = rpc(erlangNode, "erl_scan", "string", new OtpErlangString(text));
		if (!(scanned instanceof OtpErlangTuple scan && scan.arity() == 3 && isAtom(scan.elementAt(0), "ok"))) {
			throw new SpringBridgeException("Could not read spring_bridge.app on " + erlangNode + ": " + scanned);
		}
		OtpErlangObject parsed = rpc(erlangNode, "erl_parse", "parse_term", scan.elementAt(1));
		if (!(parsed instanceof OtpErlangTuple term && term.arity() == 2 && isAtom(term.elementAt(0), "ok"))) {
			throw new SpringBridgeException("Could not read spring_bridge.app on " + erlangNode + ": " + parsed);
		}
		return term.elementAt(1);
	}

	private static List<OtpErlangObject> modules(OtpErlangObject spec) {
		if (spec instanceof OtpErlangTuple app && app.arity() == 3 && app.elementAt(2) instanceof OtpErlangList props) {
			for (OtpErlangObject prop : props) {
				if (prop instanceof OtpErlangTuple pair && pair.arity() == 2 && isAtom(pair.elementAt(0), "modules")
						&& pair.elementAt(1) instanceof OtpErlangList modules) {
					return List.of(modules.elements());
				}
			}
		}
		throw new SpringBridgeException("spring_bridge.app in this jar lists no modules: " + spec);
	}

	private void checkVersion(String erlangNode) {
		OtpErlangObject version = rpc(erlangNode, SpringBridge.MODULE, "version");
		if (!(version instanceof OtpErlangLong number && number.longValue() == SpringBridge.VERSION)) {
			logger.warn("spring_bridge on {} is version {}, this application speaks version {}; calls may fail",
					erlangNode, version, SpringBridge.VERSION);
		}
	}

	private static byte[] resource(String name) {
		try (InputStream in = SpringBridgeLoader.class.getClassLoader().getResourceAsStream(EBIN + name)) {
			if (in == null) {
				throw new SpringBridgeException("spring_bridge is missing from the classpath (" + EBIN + name
						+ "); the erlang-spring-boot-autoconfigure jar ships it");
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private OtpErlangObject rpc(String erlangNode, String module, String function, OtpErlangObject... args) {
		return ErlangFutures.await(this.node.rpc(erlangNode, module, function, new OtpErlangList(args), this.timeout),
				this.timeout, module + ":" + function + " on " + erlangNode,
				(failure, what) -> (failure instanceof ErlangException erlang) ? erlang
						: new SpringBridgeException("Loading spring_bridge onto " + erlangNode + " failed", failure));
	}

	private static boolean isOk(OtpErlangObject result) {
		return result instanceof OtpErlangTuple tuple && tuple.arity() == 2 && isAtom(tuple.elementAt(0), "ok");
	}

	private static boolean isAtom(OtpErlangObject term, String name) {
		return SpringBridge.isAtom(term, name);
	}

	private static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

	@Override
	public void nodeUp(String erlangNode, boolean hidden) {
		if (this.running && this.nodes.contains(erlangNode)) {
			loadInBackground(erlangNode);
		}
	}

	@Override
	public void nodeDown(String erlangNode, DisconnectReason reason) {
		this.loaded.remove(erlangNode);
	}

	private void loadInBackground(String erlangNode) {
		try {
			this.executor.execute(() -> {
				try {
					load(erlangNode);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not load spring_bridge onto {}: {}", erlangNode, ex.getMessage());
				}
			});
		}
		catch (RejectedExecutionException ex) {
			// stopping
		}
	}

	@Override
	public void start() {
		this.executor = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "spring-bridge-loader");
			thread.setDaemon(true);
			return thread;
		});
		this.running = true;
		this.node.addNodeListener(this);
		for (String erlangNode : this.nodes) {
			if (this.node.connectedNodes().contains(erlangNode)) {
				loadInBackground(erlangNode);
			}
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.node.removeNodeListener(this);
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// before the peer connector, so no connection is missed
		return ErlangEndpointRegistry.PHASE;
	}

}
