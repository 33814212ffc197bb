/**
 * Micrometer meters of an Erlang node: {@link io.github.erlangspring.metrics.ErlangNodeMetrics}
 * turns the node's events ({@link io.github.erlangspring.node.NodeObserver}) into counters,
 * timers and mailbox gauges; {@link io.github.erlangspring.metrics.ErlangNodeMeterBinder} adds
 * the gauges and traffic counters read from the node itself. Meter names and tags are listed in
 * {@code docs/observability.md}. Used only when Micrometer is on the class path.
 */
package io.github.erlangspring.metrics;
