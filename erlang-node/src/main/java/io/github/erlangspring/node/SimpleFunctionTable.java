package io.github.erlangspring.node;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe {@link FunctionTable} filled by {@link #register}.
 */
public class SimpleFunctionTable implements FunctionTable {

	private final Map<String, RpcFunction> functions = new ConcurrentHashMap<>();

	/**
	 * Adds (or replaces) a function.
	 * @param module the module name
	 * @param function the function name
	 * @param arity the number of arguments
	 * @param implementation the function
	 * @return this table
	 */
	public SimpleFunctionTable register(String module, String function, int arity, RpcFunction implementation) {
		this.functions.put(key(module, function, arity), implementation);
		return this;
	}

	/**
	 * Removes a function.
	 * @return whether it was there
	 */
	public boolean unregister(String module, String function, int arity) {
		return this.functions.remove(key(module, function, arity)) != null;
	}

	/** @return {@code module:function/arity} of every registered function */
	public Set<String> signatures() {
		return Set.copyOf(this.functions.keySet());
	}

	@Override
	public RpcFunction lookup(String module, String function, int arity) {
		return this.functions.get(key(module, function, arity));
	}

	private static String key(String module, String function, int arity) {
		return module + ":" + function + "/" + arity;
	}

}
