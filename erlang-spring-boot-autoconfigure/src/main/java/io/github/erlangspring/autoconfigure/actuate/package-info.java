/**
 * Observability of the Erlang node with Spring Boot's Actuator and Micrometer: node metrics
 * ({@link io.github.erlangspring.autoconfigure.actuate.ErlangMetricsAutoConfiguration}), the
 * {@code erlang} health indicator
 * ({@link io.github.erlangspring.autoconfigure.actuate.ErlangHealthContributorAutoConfiguration})
 * and the {@code erlang} endpoint
 * ({@link io.github.erlangspring.autoconfigure.actuate.ErlangEndpointAutoConfiguration}). Each
 * auto-configuration applies only when the classes it needs are present.
 */
package io.github.erlangspring.autoconfigure.actuate;
