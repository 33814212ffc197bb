package io.github.erlangspring.autoconfigure;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * AOT hints of the starter that no annotation carries: the compiled Erlang modules and the
 * application spec of {@code spring_bridge} ({@code erlang/ebin/*.beam}, {@code *.app}), which
 * {@link io.github.erlangspring.bridge.SpringBridgeLoader} reads as class-path resources.
 * Handler methods get theirs from {@code @Reflective} on their annotations.
 */
public class ErlangRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		hints.resources().registerPattern("erlang/ebin/*.beam").registerPattern("erlang/ebin/*.app");
	}

}
