/**
 * How an annotated method is invoked: binding a message to its parameters, calling it, and what
 * handlers and error handlers see ({@link io.github.erlangspring.handler.ErlangCaller},
 * {@link io.github.erlangspring.handler.ErlangInvocation},
 * {@link io.github.erlangspring.handler.ErlangErrorHandler}).
 */
package io.github.erlangspring.handler;
