package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * A function table whose functions report how long they ran, and how they ended, to the node's
 * {@link NodeObserver}.
 */
final class ObservedFunctions implements FunctionTable {

	private final FunctionTable functions;

	private final NodeObserver observer;

	private ObservedFunctions(FunctionTable functions, NodeObserver observer) {
		this.functions = functions;
		this.observer = observer;
	}

	/** @return {@code functions}, observed unless there is nothing to report to */
	static FunctionTable of(FunctionTable functions, NodeObserver observer) {
		if (functions == null || observer == NodeObserver.NONE) {
			return functions;
		}
		return new ObservedFunctions(functions, observer);
	}

	@Override
	public RpcFunction lookup(String module, String function, int arity) {
		RpcFunction found = this.functions.lookup(module, function, arity);
		return (found != null) ? new Timed(found, this.observer) : null;
	}

	private record Timed(RpcFunction function, NodeObserver observer) implements RpcFunction {

		@Override
		public OtpErlangObject invoke(RpcCall call) throws Exception {
			long start = System.nanoTime();
			NodeObserver.RpcOutcome outcome = NodeObserver.RpcOutcome.ERROR;
			try {
				OtpErlangObject result = this.function.invoke(call);
				outcome = NodeObserver.RpcOutcome.RETURN;
				return result;
			}
			catch (ErlangRaiseException ex) {
				outcome = NodeObserver.RpcOutcome.of(ex.getErlangClass());
				throw ex;
			}
			finally {
				this.observer.rpcServed(call.module(), call.function(), call.arity(), outcome,
						System.nanoTime() - start);
			}
		}

	}

}
