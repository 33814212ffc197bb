package io.github.erlangspring.sample;

import io.github.erlangspring.annotation.ErlangRpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Java functions Erlang calls as the module {@code greeter}:
 * {@code rpc:call('sample@127.0.0.1', greeter, hello, [<<"World">>])}.
 */
@Component
@ErlangRpc(module = "greeter")
public class Greeter {

	private static final Logger logger = LoggerFactory.getLogger(Greeter.class);

	/** {@code greeter:hello(<<"World">>)} returns {@code <<"Hello, World!">>}. */
	@ErlangRpc
	public String hello(String name) {
		logger.info("Greeting {}", name);
		return "Hello, " + name + "!";
	}

	/** {@code greeter:fail(Message)} raises; Erlang sees the Java exception class and message. */
	@ErlangRpc
	public String fail(String message) {
		throw new IllegalStateException(message);
	}

}
