package io.github.erlangspring.core;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;

import io.github.erlangspring.bridge.SpringBridge;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.node.ErlangException;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.observation.ErlangObservations;

import static io.github.erlangspring.node.ErlangFutures.await;
import static io.github.erlangspring.observation.ErlangInteraction.CALL;
import static io.github.erlangspring.observation.ErlangInteraction.CAST;
import static io.github.erlangspring.observation.ErlangInteraction.FUNCTION;
import static io.github.erlangspring.observation.ErlangInteraction.RPC;
import static io.github.erlangspring.observation.ErlangInteraction.SEND;

/**
 * The default {@link ErlangOperations}: converts with an {@link ErlangConverter} and talks
 * through an {@link ErlangNode}.
 */
public class ErlangNodeTemplate implements ErlangOperations {

	/** The target of requests to a pid: pids are of high cardinality. */
	private static final String PID = "pid";

	private final ErlangNode node;

	private final ErlangConverter converter;

	private volatile String defaultPeer;

	private volatile Duration defaultTimeout = Duration.ofSeconds(5);

	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	public ErlangNodeTemplate(ErlangNode node, ErlangConverter converter) {
		this.node = Objects.requireNonNull(node, "node");
		this.converter = Objects.requireNonNull(converter, "converter");
	}

	/** @param defaultPeer the node used when a call names none */
	public void setDefaultPeer(String defaultPeer) {
		this.defaultPeer = defaultPeer;
	}

	/** @return the node used when a call names none, or {@code null} */
	public String getDefaultPeer() {
		return this.defaultPeer;
	}

	/** @param defaultTimeout the timeout of calls that take none */
	public void setDefaultTimeout(Duration defaultTimeout) {
		this.defaultTimeout = Objects.requireNonNull(defaultTimeout);
	}

	public Duration getDefaultTimeout() {
		return this.defaultTimeout;
	}

	/** @param observations observes every request this template makes */
	public void setObservations(ErlangObservations observations) {
		this.observations = Objects.requireNonNull(observations);
	}

	/** @return the converter in use */
	public ErlangConverter getConverter() {
		return this.converter;
	}

	/** @return the node this template talks through */
	public ErlangNode getNode() {
		return this.node;
	}

	@Override
	public String node() {
		return this.node.name();
	}

	@Override
	public Set<String> nodes() {
		return this.node.connectedNodes();
	}

	@Override
	public boolean ping(String node) {
		return this.node.ping(node, this.defaultTimeout);
	}

	@Override
	public void send(OtpErlangPid to, Object message) {
		this.observations.client(SEND, to.node(), PID, () -> this.node.send(to, this.converter.toErlang(message)));
	}

	@Override
	public void send(String process, Object message) {
		ProcessName name = ProcessName.parse(process, this.defaultPeer);
		this.observations.client(SEND, name.node(), name.name(),
				() -> this.node.send(name.name(), name.node(), this.converter.toErlang(message)));
	}

	@Override
	public Object call(String process, Object request, Duration timeout) {
		ProcessName name = ProcessName.parse(process, this.defaultPeer);
		return this.observations.client(CALL, name.node(), name.name(), () -> this.converter
			.fromErlang(await(this.node.call(name.name(), name.node(), this.converter.toErlang(request), timeout), timeout,
					"call to " + process)));
	}

	@Override
	public <T> T call(String process, Object request, Class<T> type) {
		ProcessName name = ProcessName.parse(process, this.defaultPeer);
		return this.observations.client(CALL, name.node(), name.name(),
				() -> this.converter.fromErlang(await(
						this.node.call(name.name(), name.node(), this.converter.toErlang(request), this.defaultTimeout),
						this.defaultTimeout, "call to " + process),
						type));
	}

	@Override
	public Object call(OtpErlangPid process, Object request, Duration timeout) {
		return this.observations.client(CALL, process.node(), PID,
				() -> this.converter.fromErlang(
						await(this.node.call(process, this.converter.toErlang(request), timeout), timeout, "call to " + process)));
	}

	@Override
	public void cast(String process, Object request) {
		ProcessName name = ProcessName.parse(process, this.defaultPeer);
		this.observations.client(CAST, name.node(), name.name(),
				() -> this.node.cast(name.name(), name.node(), this.converter.toErlang(request)));
	}

	@Override
	public void cast(OtpErlangPid process, Object request) {
		this.observations.client(CAST, process.node(), PID,
				() -> this.node.cast(process, this.converter.toErlang(request)));
	}

	@Override
	public Object rpc(String node, String module, String function, Object... args) {
		return this.observations.client(RPC, peer(node), signature(module, function, args),
				() -> this.converter.fromErlang(await(rpcTerm(node, module, function, args), this.defaultTimeout,
						"rpc of " + signature(module, function, args))));
	}

	@Override
	public <T> T rpc(String node, String module, String function, Class<T> resultType, Object... args) {
		return this.observations.client(RPC, peer(node), signature(module, function, args),
				() -> this.converter.fromErlang(await(rpcTerm(node, module, function, args), this.defaultTimeout,
						"rpc of " + signature(module, function, args)), resultType));
	}

	@Override
	public CompletableFuture<Object> rpcAsync(String node, String module, String function, Object... args) {
		return this.observations
			.clientAsync(RPC, peer(node), signature(module, function, args), () -> rpcTerm(node, module, function, args))
			.thenApply(this.converter::fromErlang);
	}

	@Override
	public void rpcCast(String node, String module, String function, Object... args) {
		this.observations.client(RPC, peer(node), signature(module, function, args),
				() -> this.node.rpcCast(peer(node), module, function, arguments(args)));
	}

	@Override
	public Map<String, RpcResult> multicall(Collection<String> nodes, String module, String function, Object... args) {
		OtpErlangList arguments = arguments(args);
		Map<String, CompletableFuture<OtpErlangObject>> calls = new LinkedHashMap<>();
		for (String each : nodes) {
			calls.put(each, this.observations.clientAsync(RPC, each, signature(module, function, args),
					() -> this.node.rpc(each, module, function, arguments, this.defaultTimeout)));
		}
		Map<String, RpcResult> results = new LinkedHashMap<>();
		calls.forEach((each, call) -> {
			try {
				results.put(each, new RpcResult(each, this.converter.fromErlang(await(call, this.defaultTimeout,
						"rpc on " + each + " of " + signature(module, function, args))), null));
			}
			catch (ErlangException ex) {
				results.put(each, new RpcResult(each, null, ex));
			}
		});
		return results;
	}

	@Override
	public Object callFunction(String function, Object... args) {
		return this.converter.fromErlang(callFunctionTerm(function, args));
	}

	@Override
	public <T> T callFunction(String function, Class<T> resultType, Object... args) {
		return this.converter.fromErlang(callFunctionTerm(function, args), resultType);
	}

	@Override
	public void castFunction(String function, Object... args) {
		ProcessName name = ProcessName.parse(function, this.defaultPeer);
		OtpErlangObject[] terms = arguments(args).elements();
		this.observations.clientWithContext(FUNCTION, name.node(), name.name(), (context) -> {
			this.node.rpcCast(name.node(), SpringBridge.MODULE, "cast", SpringBridge.callArguments(name.name(), context, terms));
			return null;
		});
	}

	private OtpErlangObject callFunctionTerm(String function, Object[] args) {
		ProcessName name = ProcessName.parse(function, this.defaultPeer);
		OtpErlangObject[] terms = arguments(args).elements();
		return this.observations.clientWithContext(FUNCTION, name.node(), name.name(), (context) -> {
			OtpErlangList arguments = SpringBridge.callArguments(name.name(), context, terms);
			try {
				return await(this.node.rpc(name.node(), SpringBridge.MODULE, "call", arguments, this.defaultTimeout),
						this.defaultTimeout, "registered function " + function);
			}
			catch (ErlangRemoteException ex) {
				throw SpringBridge.translate(ex, name.node(), name.name());
			}
		});
	}

	private CompletableFuture<OtpErlangObject> rpcTerm(String node, String module, String function, Object[] args) {
		return this.node.rpc(peer(node), module, function, arguments(args), this.defaultTimeout);
	}

	private static String signature(String module, String function, Object[] args) {
		return module + ":" + function + "/" + args.length;
	}

	private OtpErlangList arguments(Object[] args) {
		OtpErlangObject[] terms = new OtpErlangObject[args.length];
		for (int i = 0; i < args.length; i++) {
			terms[i] = this.converter.toErlang(args[i]);
		}
		return new OtpErlangList(terms);
	}

	private String peer(String node) {
		if (node != null) {
			return node;
		}
		if (this.defaultPeer == null) {
			throw new IllegalArgumentException("no node given and no default peer configured (erlang.default-peer)");
		}
		return this.defaultPeer;
	}

	/** {@code name@node}, or {@code name} on the default peer. */
	record ProcessName(String name, String node) {

		static ProcessName parse(String process, String defaultPeer) {
			int at = process.indexOf('@');
			if (at > 0) {
				return new ProcessName(process.substring(0, at), process.substring(at + 1));
			}
			if (defaultPeer == null) {
				throw new IllegalArgumentException("'" + process
						+ "' names no node and no default peer is configured (erlang.default-peer)");
			}
			return new ProcessName(process, defaultPeer);
		}

	}


}
