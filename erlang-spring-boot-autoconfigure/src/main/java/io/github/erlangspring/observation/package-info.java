/**
 * Micrometer Observations of the interactions between Java and Erlang: {@code erlang.client.requests}
 * for what Java asks of Erlang (RPC, {@code gen_server} calls, casts, sends, registered functions,
 * pg publishes, state operations), {@code erlang.server.requests} for what Erlang asks of Java
 * ({@code @ErlangRpc} calls, messages handled by {@code @ErlangProcess} beans, deliveries to
 * subscribers), with replaceable conventions.
 */
package io.github.erlangspring.observation;
