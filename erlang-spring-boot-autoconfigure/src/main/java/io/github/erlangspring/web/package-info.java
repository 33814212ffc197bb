/**
 * Web hooks: functions registered with {@code spring_bridge} that the application calls around
 * each HTTP request, from a servlet filter ({@link io.github.erlangspring.web.ErlangHookFilter}) or
 * a WebFlux filter ({@link io.github.erlangspring.web.ErlangHookWebFilter}).
 */
package io.github.erlangspring.web;
