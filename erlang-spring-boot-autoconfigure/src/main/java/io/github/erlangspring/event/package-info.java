/**
 * Application events published when a connection to another node comes up or goes down.
 */
package io.github.erlangspring.event;
