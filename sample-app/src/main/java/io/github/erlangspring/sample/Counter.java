package io.github.erlangspring.sample;

import java.util.concurrent.atomic.AtomicLong;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.annotation.HandleCast;

import org.springframework.stereotype.Component;

/**
 * A process registered as {@code counter}, served like a gen_server:
 * {@code gen_server:call({counter, 'sample@127.0.0.1'}, incr)}.
 */
@Component
@ErlangProcess("counter")
public class Counter {

	private final AtomicLong value = new AtomicLong();

	/** {@code incr}: adds one, replies with the new value. */
	@HandleCall("incr")
	public long incr() {
		return this.value.incrementAndGet();
	}

	/** {@code {add, N}}: adds N, replies with the new value. */
	@HandleCall("add")
	public long add(long n) {
		return this.value.addAndGet(n);
	}

	/** {@code get}: replies with the value. */
	@HandleCall("get")
	public long get() {
		return this.value.get();
	}

	/** {@code reset} (a cast): sets the value to 0. */
	@HandleCast("reset")
	public void reset() {
		this.value.set(0);
	}

}
