/**
 * The Java side of {@code spring_bridge}, the Erlang application shipped in this jar (under
 * {@code erlang/ebin}): {@link io.github.erlangspring.bridge.SpringBridgeLoader} loads and starts
 * it on Erlang nodes that lack it, and {@link io.github.erlangspring.bridge.SpringBridge} names its
 * functions and turns its errors into Java exceptions.
 */
package io.github.erlangspring.bridge;
