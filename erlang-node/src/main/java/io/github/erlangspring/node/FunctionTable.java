package io.github.erlangspring.node;

/**
 * The functions this node serves to Erlang's {@code rpc} and {@code erpc}: looked up by module,
 * function and arity on every call. A call for which this returns {@code null} fails with
 * {@code undef}, exactly as calling a missing function on an Erlang node does.
 */
@FunctionalInterface
public interface FunctionTable {

	/** A table without functions: every call is {@code undef}. */
	FunctionTable EMPTY = (module, function, arity) -> null;

	/**
	 * Finds a function.
	 * @param module the module name
	 * @param function the function name
	 * @param arity the number of arguments
	 * @return the function, or {@code null} when there is none
	 */
	RpcFunction lookup(String module, String function, int arity);

}
