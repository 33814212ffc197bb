package io.github.erlangspring.bridge;

import io.github.erlangspring.node.ErlangRemoteException;

/**
 * No function is registered under the name called with {@code spring_bridge} on the node; Erlang
 * raised {@code error({spring_bridge, unknown_function, Name})}.
 */
public class ErlangFunctionNotFoundException extends ErlangRemoteException {

	private final String node;

	private final String function;

	public ErlangFunctionNotFoundException(String node, String function, ErlangRemoteException cause) {
		super(cause.getErlangClass(), cause.getReason(), cause.getErlangStacktrace());
		this.node = node;
		this.function = function;
		initCause(cause);
	}

	/** @return the node that was asked */
	public String getNode() {
		return this.node;
	}

	/** @return the name that is not registered */
	public String getFunction() {
		return this.function;
	}

	@Override
	public String getMessage() {
		return "No function '" + this.function + "' is registered with spring_bridge on " + this.node
				+ " (register it there with spring_bridge:register_function/2,3,4)";
	}

}
