/**
 * Test support: real Erlang nodes for JUnit 5 tests ({@link io.github.erlangspring.test.ErlangPeerExtension}).
 */
package io.github.erlangspring.test;
