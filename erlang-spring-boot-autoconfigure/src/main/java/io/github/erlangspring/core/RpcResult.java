package io.github.erlangspring.core;

import io.github.erlangspring.node.ErlangException;

/**
 * One node's answer in a {@link ErlangOperations#multicall multicall}.
 *
 * @param node the node
 * @param value the result (naturally converted) when successful
 * @param error the failure, else {@code null}
 */
public record RpcResult(String node, Object value, ErlangException error) {

	/** @return whether the call returned a value */
	public boolean isSuccess() {
		return this.error == null;
	}

}
