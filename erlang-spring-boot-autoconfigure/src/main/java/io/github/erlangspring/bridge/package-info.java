/**
 * The Java side of {@code spring_bridge}, the Erlang application shipped in this jar (under
 * {@code erlang/ebin}): {@link io.github.erlangspring.bridge.SpringBridgeLoader} loads and starts
 * it on Erlang nodes that lack it, {@link io.github.erlangspring.bridge.SpringBridge} names its
 * functions and turns its errors into Java exceptions, and
 * {@link io.github.erlangspring.bridge.ErlangHookFilter} calls functions registered with it around
 * each HTTP request (servlet applications).
 */
package io.github.erlangspring.bridge;
