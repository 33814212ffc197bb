/**
 * Cluster membership: keeping the configured peers connected and following the nodes they know.
 */
package io.github.erlangspring.cluster;
