/**
 * The template for calling Erlang from Java: {@link io.github.erlangspring.core.ErlangOperations},
 * implemented by {@link io.github.erlangspring.core.ErlangNodeTemplate}.
 */
package io.github.erlangspring.core;
