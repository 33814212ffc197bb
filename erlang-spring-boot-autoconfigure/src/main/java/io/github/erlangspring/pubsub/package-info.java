/**
 * Publish/subscribe on Erlang's {@code pg}: {@link io.github.erlangspring.pubsub.PgScope} is a pg
 * scope run by the Java node, speaking pg's protocol with Erlang's scopes;
 * {@link io.github.erlangspring.pubsub.PubSubOperations} (implemented by
 * {@link io.github.erlangspring.pubsub.PubSubTemplate}) publishes and subscribes on it.
 */
package io.github.erlangspring.pubsub;
