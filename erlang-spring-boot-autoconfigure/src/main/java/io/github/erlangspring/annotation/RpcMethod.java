package io.github.erlangspring.annotation;

import java.lang.reflect.InvocationTargetException;
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

import org.springframework.util.ReflectionUtils;

/**
 * An {@link ErlangRpc} method as a function Erlang can call.
 */
final class RpcMethod implements RpcFunction {

	private static final OtpErlangAtom OK = new OtpErlangAtom("ok");

	private final Object bean;

	private final Method method;

	private final String signature;

	private final ErlangConverter converter;

	private final ErlangErrorHandler errorHandler;

	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	RpcMethod(Object bean, Method method, String module, String function, ErlangConverter converter,
			ErlangErrorHandler errorHandler) {
		this.bean = bean;
		this.method = method;
		this.signature = module + ":" + function + "/" + method.getParameterCount();
		this.converter = converter;
		this.errorHandler = errorHandler;
		ReflectionUtils.makeAccessible(method);
	}

	String signature() {
		return this.signature;
	}

	Method method() {
		return this.method;
	}

	void setObservations(ErlangObservations observations) {
		this.observations = observations;
	}

	@Override
	public OtpErlangObject invoke(RpcCall call) throws Exception {
		return this.observations.server(ErlangInteraction.RPC, call.caller(), this.signature, () -> invokeObserved(call));
	}

	private OtpErlangObject invokeObserved(RpcCall call) throws Exception {
		Object[] args = new Object[call.arity()];
		for (int i = 0; i < args.length; i++) {
			String name = this.method.getParameters()[i].getName();
			try {
				args[i] = this.converter.fromErlang(call.args().get(i), this.method.getGenericParameterTypes()[i], name);
			}
			catch (ErlangConversionException ex) {
				throw ErlangRaiseException.error(badarg(i + 1, ex.getMessage()));
			}
		}
		Object result;
		try {
			result = this.method.invoke(this.bean, args);
		}
		catch (InvocationTargetException ex) {
			if (!(ex.getCause() instanceof Exception cause)) {
				throw ex;
			}
			ErlangInvocation invocation = new ErlangInvocation(this.signature, "rpc",
					new OtpErlangList(call.args().toArray(new OtpErlangObject[0])), this.method);
			result = this.errorHandler.handleError(invocation, cause);
		}
		return (this.method.getReturnType() == void.class) ? OK : this.converter.toErlang(result);
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
