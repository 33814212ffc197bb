package io.github.erlangspring.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import com.ericsson.otp.erlang.OtpErlangPid;

import io.github.erlangspring.convert.ErlangConversionException;
import io.github.erlangspring.node.ErlangNodeDownException;
import io.github.erlangspring.node.ErlangNoProcessException;
import io.github.erlangspring.node.ErlangRemoteException;
import io.github.erlangspring.node.ErlangTimeoutException;

/**
 * Java calling into an Erlang cluster: messages, {@code gen_server} calls and casts, and
 * {@code erpc} calls. Implemented by {@link ErlangNodeTemplate}.
 * <p>
 * Arguments, messages and results go through the {@link io.github.erlangspring.convert.ErlangConverter}:
 * a {@code String} is sent as a binary, a record as a map, and so on; raw JInterface terms pass
 * through unchanged.
 * <p>
 * <b>Naming processes.</b> A process is a pid, {@code "name@node"} (a registered name on a
 * node) or {@code "name"} (a registered name on the default peer, {@code erlang.default-peer}).
 * Where a {@code node} argument is {@code null}, the default peer is used.
 * <p>
 * <b>Errors</b> are unchecked: {@link ErlangTimeoutException}, {@link ErlangNodeDownException},
 * {@link ErlangNoProcessException}, {@link ErlangRemoteException} (the Erlang exception class,
 * reason and stacktrace) and {@link ErlangConversionException}.
 */
public interface ErlangOperations {

	/** @return this node's name */
	String node();

	/** @return the nodes this node is connected to */
	Set<String> nodes();

	/**
	 * @param node a node name
	 * @return whether the node answers, as {@code net_adm:ping(Node) =:= pong}
	 */
	boolean ping(String node);

	/**
	 * Sends a message to a pid; asynchronous, as Erlang's {@code !}: it never waits for a
	 * connection, and a message to a node that cannot be reached is dropped.
	 * @param to the pid
	 * @param message the message (converted)
	 */
	void send(OtpErlangPid to, Object message);

	/**
	 * Sends a message to a registered process: {@code "name@node"} or {@code "name"} on the
	 * default peer.
	 * @param process the process
	 * @param message the message (converted)
	 */
	void send(String process, Object message);

	/**
	 * {@code gen_server:call(Process, Request, Timeout)}.
	 * @param process {@code "name@node"}, or {@code "name"} on the default peer
	 * @param request the request (converted)
	 * @param timeout how long to wait
	 * @return the reply, converted naturally ({@link io.github.erlangspring.convert.ErlangConverter#fromErlang(com.ericsson.otp.erlang.OtpErlangObject)})
	 */
	Object call(String process, Object request, Duration timeout);

	/**
	 * {@code gen_server:call} with the reply converted to {@code type} and the default timeout
	 * ({@code erlang.rpc.timeout}).
	 */
	<T> T call(String process, Object request, Class<T> type);

	/** {@code gen_server:call(Pid, Request, Timeout)}. */
	Object call(OtpErlangPid process, Object request, Duration timeout);

	/** {@code gen_server:cast(Process, Request)}. */
	void cast(String process, Object request);

	/** {@code gen_server:cast(Pid, Request)}. */
	void cast(OtpErlangPid process, Object request);

	/**
	 * {@code erpc:call(Node, Module, Function, Args)} with the default timeout.
	 * @param node the node ({@code null}: the default peer)
	 * @param module the module
	 * @param function the function
	 * @param args the arguments (each converted)
	 * @return the result, converted naturally
	 */
	Object rpc(String node, String module, String function, Object... args);

	/** {@code erpc:call} with the result converted to {@code resultType}. */
	<T> T rpc(String node, String module, String function, Class<T> resultType, Object... args);

	/** {@code erpc:call} without blocking: the future holds the naturally converted result. */
	CompletableFuture<Object> rpcAsync(String node, String module, String function, Object... args);

	/** {@code erpc:cast(Node, Module, Function, Args)}: runs the function, ignores its result. */
	void rpcCast(String node, String module, String function, Object... args);

	/**
	 * {@code erpc:multicall(Nodes, Module, Function, Args)}: calls every node in parallel.
	 * @return one result per node, in the order given; a node's failure is in its result
	 */
	Map<String, RpcResult> multicall(Collection<String> nodes, String module, String function, Object... args);

	/**
	 * Calls a function registered with {@code spring_bridge} on an Erlang node
	 * ({@code spring_bridge:register_function(add, fun(A, B) -> A + B end)}), waiting up to the
	 * default timeout: {@code callFunction("add", 1, 2)} returns {@code 3L}.
	 * <p>
	 * These are not overloads of {@code call}/{@code cast}: {@code call(String, Object...)} would
	 * silently become a {@code gen_server} call whenever the arguments happened to match
	 * {@code call(String, Object, Duration)} or {@code call(String, Object, Class)}, and
	 * {@code cast("log", message)} already means {@code gen_server:cast}.
	 * @param function the registered name, on the default peer, or {@code "name@node"}
	 * @param args the arguments (each converted)
	 * @return the result, converted naturally
	 * @throws io.github.erlangspring.bridge.ErlangFunctionNotFoundException when nothing is
	 * registered under that name
	 * @throws io.github.erlangspring.bridge.SpringBridgeException when {@code spring_bridge} is not
	 * running on the node
	 * @throws ErlangRemoteException with the Erlang class, reason and stacktrace when the function
	 * raises
	 */
	Object callFunction(String function, Object... args);

	/**
	 * {@link #callFunction(String, Object...)} with the result converted to {@code resultType}.
	 * (A {@code Class} as the first argument of the function itself is read as the result type.)
	 */
	<T> T callFunction(String function, Class<T> resultType, Object... args);

	/**
	 * Runs a function registered with {@code spring_bridge} without waiting for it
	 * ({@code spring_bridge:cast/2}); a failure is logged on the Erlang node.
	 * @param function the registered name, on the default peer, or {@code "name@node"}
	 * @param args the arguments (each converted)
	 */
	void castFunction(String function, Object... args);

}
