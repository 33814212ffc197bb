/**
 * The annotations that make beans Erlang-facing ({@code @ErlangProcess} with {@code @HandleCall},
 * {@code @HandleCast} and {@code @HandleInfo}; {@code @ErlangRpc}; {@code @ErlangSubscribe}) and
 * the AOT processor that registers their hints. The bean post-processor that finds them is in
 * {@code endpoint}, so this package depends on nothing that runs them.
 */
package io.github.erlangspring.annotation;
