package io.github.erlangspring.endpoint;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.handler.HandlerMethod;
import io.github.erlangspring.handler.RpcMethod;
import io.github.erlangspring.node.FunctionTable;
import io.github.erlangspring.node.RpcFunction;

/**
 * The {@link ErlangRpc} methods, as the node's function table.
 */
final class RpcEndpoints implements FunctionTable {

	private final Map<String, RpcMethod> methods = new ConcurrentHashMap<>();

	void add(RpcMethod method) {
		RpcMethod previous = this.methods.putIfAbsent(method.signature(), method);
		if (previous != null) {
			throw new IllegalStateException("Two @ErlangRpc methods serve " + method.signature() + ": "
					+ HandlerMethod.describe(previous.method()) + " and " + HandlerMethod.describe(method.method()));
		}
	}

	Set<String> signatures() {
		return new TreeSet<>(this.methods.keySet());
	}

	@Override
	public RpcFunction lookup(String module, String function, int arity) {
		return this.methods.get(module + ":" + function + "/" + arity);
	}

}
