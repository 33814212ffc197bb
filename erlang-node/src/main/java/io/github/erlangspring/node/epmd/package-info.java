/**
 * The EPMD (Erlang Port Mapper Daemon) layer of the distribution node: a client for the EPMD
 * protocol ({@link io.github.erlangspring.node.epmd.EpmdClient}) and a small EPMD that can run
 * inside the application ({@link io.github.erlangspring.node.epmd.EmbeddedEpmd}) when no
 * {@code epmd} daemon is running.
 * <p>
 * Both follow the "Distribution Protocol" chapter of the ERTS User's Guide and the behaviour of
 * {@code epmd} and kernel's {@code erl_epmd} for OTP 23 and later (distribution version 6, 32-bit
 * creations). Every request is a 2-byte big-endian length followed by the request itself; every
 * connection carries a single request, except a registration, whose connection stays open for as
 * long as the node is alive.
 */
package io.github.erlangspring.node.epmd;
