/**
 * Spring test support: {@link io.github.erlangspring.test.context.AutoConfigureErlangPeer} gives
 * a test's application context a real Erlang peer node.
 */
package io.github.erlangspring.test.context;
