/**
 * The annotations that make beans Erlang-facing ({@code @ErlangProcess} with {@code @HandleCall},
 * {@code @HandleCast} and {@code @HandleInfo}; {@code @ErlangRpc}; {@code @ErlangSubscribe}), the
 * bean post-processor that finds them and the AOT processor that registers their hints.
 */
package io.github.erlangspring.annotation;
