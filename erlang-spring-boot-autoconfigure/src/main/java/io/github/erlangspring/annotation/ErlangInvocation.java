package io.github.erlangspring.annotation;

import java.lang.reflect.Method;

import com.ericsson.otp.erlang.OtpErlangObject;

/**
 * What a handler or RPC method was invoked for, as seen by an {@link ErlangErrorHandler}.
 *
 * @param target the process name, or {@code module:function/arity} for RPC
 * @param kind {@code call}, {@code cast}, {@code info} or {@code rpc}
 * @param message the request, message, or argument list
 * @param method the Java method, or {@code null} when no handler matched
 */
public record ErlangInvocation(String target, String kind, OtpErlangObject message, Method method) {
}
