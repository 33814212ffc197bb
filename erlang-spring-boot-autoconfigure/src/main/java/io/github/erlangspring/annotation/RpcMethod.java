package io.github.erlangspring.annotation;

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
 * An {@link ErlangRpc} method as a function Erlang can call.
 */
final class RpcMethod implements RpcFunction {

	private static final OtpErlangAtom OK = new OtpErlangAtom("ok");

	private final InvocableErlangMethod method;

	private final String signature;

	private final ErlangConverter converter;

	private final ErlangErrorHandler errorHandler;

	private volatile ErlangObservations observations = ErlangObservations.NOOP;

	RpcMethod(Object bean, Method method, String module, String function, ErlangConverter converter,
			ErlangErrorHandler errorHandler) {
		this.method = new InvocableErlangMethod(bean, method);
		this.signature = module + ":" + function + "/" + method.getParameterCount();
		this.converter = converter;
		this.errorHandler = errorHandler;
	}

	String signature() {
		return this.signature;
	}

	Method method() {
		return this.method.method();
	}

	void setObservations(ErlangObservations observations) {
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
