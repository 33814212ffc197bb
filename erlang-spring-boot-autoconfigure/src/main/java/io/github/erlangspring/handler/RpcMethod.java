package io.github.erlangspring.handler;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;

import io.github.erlangspring.convert.ErlangConversionException;
import io.github.erlangspring.convert.ErlangConverter;
import io.github.erlangspring.node.ErlangRaiseException;
import io.github.erlangspring.node.RpcCall;
import io.github.erlangspring.node.RpcFunction;
import io.github.erlangspring.observation.ErlangInteraction;
import io.github.erlangspring.observation.ErlangObservations;

/**
 * An {@link io.github.erlangspring.annotation.ErlangRpc} method as a function Erlang can call.
 */
public final class RpcMethod implements RpcFunction {

	private static final OtpErlangAtom OK = new OtpErlangAtom("ok");

	private final InvocableErlangMethod method;

	private final String signature;

	private final ErlangConverter converter;

	private final ErlangErrorHandler errorHandler;

	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	/**
	 * @param bean the bean
	 * @param method the method
	 * @param module the Erlang module it serves
	 * @param function the Erlang function it serves
	 * @param converter converts the arguments and the result
	 * @param errorHandler what handles a failure
	 */
	public RpcMethod(Object bean, Method method, String module, String function, ErlangConverter converter,
			ErlangErrorHandler errorHandler) {
		this.method = new InvocableErlangMethod(bean, method);
		this.signature = module + ":" + function + "/" + method.getParameterCount();
		this.converter = converter;
		this.errorHandler = errorHandler;
	}

	/** @return {@code module:function/arity} */
	public String signature() {
		return this.signature;
	}

	/** @return the Java method */
	public Method method() {
		return this.method.method();
	}

	/** @param observations observes each call */
	public void setObservations(ErlangObservations observations) {
		this.observations = observations;
	}

	@Override
	public OtpErlangObject invoke(RpcCall call) throws Exception {
		return this.observations.server(ErlangInteraction.RPC, call.caller(), this.signature, () -> invokeObserved(call));
	}

	private OtpErlangObject invokeObserved(RpcCall call) throws Exception {
		Method method = this.method.method();
		Object[] args = new Object[call.arity()];
		for (int i = 0; i < args.length; i++) {
			String name = method.getParameters()[i].getName();
			try {
				args[i] = this.converter.fromErlang(call.args().get(i), method.getGenericParameterTypes()[i], name);
			}
			catch (ErlangConversionException ex) {
				throw ErlangRaiseException.error(badarg(i + 1, ex.getMessage()));
			}
		}
		ErlangInvocation invocation = new ErlangInvocation(this.signature, ErlangInvocation.Kind.RPC,
				new OtpErlangList(call.args().toArray(new OtpErlangObject[0])), method);
		Object result = this.method.invoke(this.errorHandler, invocation, args);
		return this.method.isVoid() ? OK : this.converter.toErlang(result);
	}

	/** {@code {badarg, #{argument => N, reason => <<"...">>}}}. */
	private static OtpErlangObject badarg(int argument, String reason) {
		OtpErlangMap details = new OtpErlangMap(
				new OtpErlangObject[] { new OtpErlangAtom("argument"), new OtpErlangAtom("reason") },
				new OtpErlangObject[] { new OtpErlangLong(argument),
						new OtpErlangBinary(reason.getBytes(StandardCharsets.UTF_8)) });
		return new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("badarg"), details });
	}

}
