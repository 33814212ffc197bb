/**
 * The running endpoints of the annotated beans: the bean post-processor that finds the
 * annotations, the registries that own and start the endpoints, the
 * {@code gen_server} process of each {@code @ErlangProcess} bean and the function table of the
 * {@code @ErlangRpc} methods.
 */
package io.github.erlangspring.endpoint;
