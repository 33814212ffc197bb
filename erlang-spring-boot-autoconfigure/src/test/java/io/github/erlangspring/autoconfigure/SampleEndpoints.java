package io.github.erlangspring.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.github.erlangspring.annotation.ErlangProcess;
import io.github.erlangspring.annotation.ErlangRpc;
import io.github.erlangspring.annotation.HandleCall;
import io.github.erlangspring.annotation.HandleCast;
import io.github.erlangspring.annotation.HandleInfo;
import io.github.erlangspring.convert.ErlangRecord;
import io.github.erlangspring.handler.ErlangCaller;

/**
 * Endpoints used by the end-to-end tests: the sample's contract plus the dispatch rules.
 */
final class SampleEndpoints {

	private SampleEndpoints() {
	}

	@ErlangRpc(module = "greeter")
	static class Greeter {

		@ErlangRpc
		String hello(String name) {
			return "Hello, " + name + "!";
		}

		@ErlangRpc
		String fail(String message) {
			throw new IllegalStateException(message);
		}

		@ErlangRpc
		long addAll(java.util.List<Long> numbers) {
			return numbers.stream().mapToLong(Long::longValue).sum();
		}

		@ErlangRpc(function = "user_email")
		String email(User user) {
			return user.email();
		}

		@ErlangRpc(module = "${test.rpc.module:other}")
		void ping() {
		}

	}

	record User(String name, String email) {
	}

	@ErlangRecord("add")
	record Add(long amount) {
	}

	@ErlangProcess("counter")
	static class Counter {

		private final AtomicLong value = new AtomicLong();

		final java.util.List<Object> infos = new java.util.concurrent.CopyOnWriteArrayList<>();

		@HandleCall("incr")
		long incr() {
			return this.value.incrementAndGet();
		}

		@HandleCall
		long add(Add add) {
			return this.value.addAndGet(add.amount());
		}

		@HandleCall("get")
		long get() {
			return this.value.get();
		}

		@HandleCall("divide")
		long divide(long by) {
			return this.value.get() / by;
		}

		@HandleCall("later")
		void later(long millis, ErlangCaller caller) {
			Executors.newSingleThreadScheduledExecutor()
				.schedule(() -> caller.reply("done"), millis, java.util.concurrent.TimeUnit.MILLISECONDS);
		}

		@HandleCall("async")
		CompletableFuture<String> async(String text) {
			return CompletableFuture.supplyAsync(() -> text.toUpperCase());
		}

		@HandleCall
		String text(String text) {
			return "text:" + text;
		}

		@HandleCast("reset")
		void reset() {
			this.value.set(0);
		}

		@HandleInfo
		void info(Object message) {
			this.infos.add(message);
		}

	}

	@ErlangProcess("ambiguous")
	static class Ambiguous {

		@HandleCall("x")
		long first() {
			return 1;
		}

		@HandleCall("x")
		long second() {
			return 2;
		}

	}

}
