/**
 * State shared between the Spring application and Erlang, with ETS semantics:
 * {@link io.github.erlangspring.state.StateOperations} (implemented by
 * {@link io.github.erlangspring.state.StateTemplate}) over a
 * {@link io.github.erlangspring.state.StateBackend}: a table inside the Java node
 * ({@link io.github.erlangspring.state.StateBackend#local()}), reachable from Erlang through
 * {@link io.github.erlangspring.state.ErlangStateFunctions}, or a real ETS table on an Erlang node
 * owned by {@code spring_bridge} ({@link io.github.erlangspring.state.StateBackend#ets}).
 */
package io.github.erlangspring.state;
