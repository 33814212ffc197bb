package io.github.erlangspring.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import io.github.erlangspring.convert.Atom;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.test.ErlangEvalException;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What every {@link StateBackend} does, checked from Java through {@link StateTemplate} and from
 * a real Erlang node through the backend's Erlang API ({@code spring_state} on the Java node for
 * {@code local}, {@code spring_bridge_state} for {@code ets}).
 */
abstract class StateOperationsContract {

	/** @return the template under test */
	abstract StateTemplate template();

	/** @return the Erlang node the tests evaluate Erlang on */
	abstract ErlangPeer peer();

	/**
	 * @param function a function of the Erlang state API
	 * @param args its arguments without the table, as Erlang source
	 * @return an Erlang expression calling it (raising on errors)
	 */
	abstract String erlangCall(String function, String args);

	/** A key no other test uses. */
	static String key(String name) {
		return "t" + UUID.randomUUID().toString().substring(0, 8) + ":" + name;
	}

	static OtpErlangBinary binary(String key) {
		return new OtpErlangBinary(key.getBytes(StandardCharsets.UTF_8));
	}

	static String bin(String key) {
		return "<<\"" + key + "\">>";
	}

	static ErlangNode startJavaNode(ErlangPeer peer, String prefix) {
		ErlangRuntime.ensureEpmd();
		try {
			return ErlangNode.start(
					NodeConfig.builder(ErlangPeer.uniqueAlive(prefix) + "@127.0.0.1").cookie(peer.cookie()).build());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	OtpErlangObject erlang(String function, String args) {
		return peer().eval(erlangCall(function, args));
	}

	@Test
	void setGetAndDelete() {
		String key = key("sgd");
		assertThat(template().get(key)).isNull();
		template().set(key, "value");
		assertThat(template().get(key)).isEqualTo("value");
		assertThat(template().get(key, String.class)).isEqualTo("value");
		assertThat(template().delete(key)).isTrue();
		assertThat(template().delete(key)).isFalse();
		assertThat(template().get(key)).isNull();
		assertThat(template().get(key, String.class)).isNull();
	}

	@Test
	void javaAndErlangReadWhatTheOtherWrote() {
		String key = key("shared");
		template().set(key, Map.of("n", 1L));
		OtpErlangMap stored = (OtpErlangMap) erlang("get", bin(key));
		assertThat(stored.arity()).isEqualTo(1);
		assertThat(stored.get(binary("n"))).isEqualTo(new OtpErlangLong(1));
		erlang("set", bin(key) + ", [1, two, <<\"three\">>]");
		assertThat(template().get(key)).isEqualTo(List.of(1L, new Atom("two"), "three"));
		assertThat(erlang("delete", bin(key))).isEqualTo(new OtpErlangAtom("true"));
		assertThat(template().get(key)).isNull();
		assertThat(erlang("get", bin(key))).isEqualTo(new OtpErlangAtom("undefined"));
	}

	@Test
	void getMultiAnswersForEveryKeyInOrder() {
		String a = key("a");
		String b = key("b");
		String c = key("c");
		template().set(a, 1);
		template().set(c, 3);
		Map<String, Object> expected = new LinkedHashMap<>();
		expected.put(c, 3L);
		expected.put(b, null);
		expected.put(a, 1L);
		assertThat(template().getMulti(List.of(c, b, a))).containsExactlyEntriesOf(expected);
		assertThat(template().getMulti(List.of(a, b), Integer.class)).containsEntry(a, 1).containsEntry(b, null)
			.hasSize(2);
		assertThat(template().getMulti(List.of())).isEmpty();
		OtpErlangMap fromErlang = (OtpErlangMap) erlang("get_multi", "[" + bin(a) + ", " + bin(b) + "]");
		assertThat(fromErlang.arity()).isEqualTo(2);
		assertThat(fromErlang.get(binary(a))).isEqualTo(new OtpErlangLong(1));
		assertThat(fromErlang.get(binary(b))).isEqualTo(new OtpErlangAtom("undefined"));
	}

	@Test
	void incrStartsFromZeroAndDecrGoesBelowZero() {
		String key = key("counter");
		assertThat(template().incr(key)).isEqualTo(1);
		assertThat(template().incr(key, 10)).isEqualTo(11);
		assertThat(template().decr(key)).isEqualTo(10);
		assertThat(template().decr(key, 15)).isEqualTo(-5);
		assertThat(template().get(key)).isEqualTo(-5L);
		assertThat(erlang("incr", bin(key) + ", 7")).isEqualTo(new OtpErlangLong(2));
		assertThat(template().incr(key, -2)).isZero();
	}

	@Test
	void incrOfANonIntegerFailsAndLeavesTheValue() {
		String key = key("text");
		template().set(key, "abc");
		assertThatExceptionOfType(ErlangStateException.class).isThrownBy(() -> template().incr(key))
			.withMessageContaining("'" + key + "'")
			.withMessageContaining("not an integer");
		assertThat(template().get(key)).isEqualTo("abc");
		assertThatExceptionOfType(ErlangEvalException.class).isThrownBy(() -> erlang("incr", bin(key) + ", 1"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("not_integer"));
		assertThat(template().get(key)).isEqualTo("abc");
		template().set(key, 1.5);
		assertThatExceptionOfType(ErlangStateException.class).isThrownBy(() -> template().decr(key));
		assertThat(template().get(key)).isEqualTo(1.5);
	}

	@Test
	void countersAreAtomicUnderJavaThreadsAndErlangProcessesAtOnce() throws Exception {
		String key = key("concurrent");
		int javaThreads = 4;
		int erlangProcesses = 4;
		int each = 300;
		String erlangLoop = "Parent = self(), Pids = [spawn(fun() -> [" + erlangCall("incr", bin(key) + ", 1")
				+ " || _ <- lists:seq(1, " + each + ")], Parent ! {done, self()} end) || _ <- lists:seq(1, "
				+ erlangProcesses + ")], [receive {done, P} -> ok after 60000 -> error(timeout) end || P <- Pids], done";
		ExecutorService pool = Executors.newFixedThreadPool(javaThreads);
		try {
			CountDownLatch go = new CountDownLatch(1);
			List<Future<?>> workers = new ArrayList<>();
			for (int i = 0; i < javaThreads; i++) {
				workers.add(pool.submit(() -> {
					go.await();
					for (int n = 0; n < each; n++) {
						template().incr(key);
					}
					return null;
				}));
			}
			CompletableFuture<OtpErlangObject> erlangSide = peer().evalAsync(erlangLoop);
			go.countDown();
			for (Future<?> worker : workers) {
				worker.get(60, TimeUnit.SECONDS);
			}
			assertThat(erlangSide.get(60, TimeUnit.SECONDS)).isEqualTo(new OtpErlangAtom("done"));
		}
		finally {
			pool.shutdownNow();
		}
		long total = (long) (javaThreads + erlangProcesses) * each;
		assertThat(template().get(key)).isEqualTo(total);
		assertThat(erlang("get", bin(key))).isEqualTo(new OtpErlangLong(total));
	}

	@Test
	void aKeyExpiresExactlyAtItsTtl() {
		String key = key("ttl");
		Duration ttl = Duration.ofMillis(300);
		long before = System.nanoTime();
		template().set(key, "v", ttl);
		long after = System.nanoTime();
		// the ets backend counts whole milliseconds of the Erlang node's clock
		long surelyLive = before + ttl.toNanos() - TimeUnit.MILLISECONDS.toNanos(1);
		long surelyExpired = after + ttl.toNanos();
		long deadline = after + TimeUnit.SECONDS.toNanos(10);
		int liveReads = 0;
		while (true) {
			long start = System.nanoTime();
			Object value = template().get(key);
			long end = System.nanoTime();
			if (end < surelyLive) {
				assertThat(value).as("read finished before the TTL").isEqualTo("v");
				liveReads++;
			}
			if (start > surelyExpired) {
				assertThat(value).as("read started after the TTL").isNull();
				break;
			}
			assertThat(start).as("still reading 10 s later").isLessThan(deadline);
		}
		assertThat(liveReads).isPositive();
		assertThat(template().getMulti(List.of(key))).containsEntry(key, null);
		assertThat(template().keys(key)).isEmpty();
		assertThat(template().delete(key)).isFalse();
		assertThat(erlang("get", bin(key))).isEqualTo(new OtpErlangAtom("undefined"));
		assertThat(template().incr(key)).as("an expired counter starts from 0").isEqualTo(1);
	}

	@Test
	void setWithoutTtlRemovesTheTtlAndIncrKeepsIt() {
		String kept = key("kept");
		String cleared = key("cleared");
		Duration ttl = Duration.ofMillis(200);
		template().set(kept, 1, ttl);
		template().incr(kept);
		template().set(cleared, 1, ttl);
		// the TTL was set before this instant: it has surely run out at armed + ttl (+ 1 ms, as the
		// ets backend rounds up to whole milliseconds)
		long armed = System.nanoTime();
		template().set(cleared, 2);
		awaitGone(kept, Duration.ofSeconds(5));
		long pastTheOldTtl = armed + ttl.toNanos() + TimeUnit.MILLISECONDS.toNanos(2);
		// read until past the TTL the first set gave: the value stays
		do {
			assertThat(template().get(cleared)).isEqualTo(2L);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		while (System.nanoTime() < pastTheOldTtl);
		assertThat(template().get(cleared)).isEqualTo(2L);
	}

	@Test
	void putIfAbsentStoresOnlyWhenThereIsNoLiveValue() {
		String key = key("pia");
		assertThat(template().putIfAbsent(key, "first")).isTrue();
		assertThat(template().putIfAbsent(key, "second")).isFalse();
		assertThat(template().get(key)).isEqualTo("first");
		String expiring = key("pia-ttl");
		assertThat(template().putIfAbsent(expiring, "old", Duration.ofMillis(100))).isTrue();
		assertThat(template().putIfAbsent(expiring, "new")).isFalse();
		awaitGone(expiring, Duration.ofSeconds(5));
		assertThat(template().putIfAbsent(expiring, "new")).isTrue();
		assertThat(template().get(expiring)).isEqualTo("new");
		assertThat(erlang("put_if_absent", bin(expiring) + ", x")).isEqualTo(new OtpErlangAtom("false"));
	}

	@Test
	void keysListsLiveKeysByPrefixSorted() {
		String prefix = key("keys") + ":";
		template().set(prefix + "b", 1);
		template().set(prefix + "a", 1);
		template().set(prefix + "c", 1, Duration.ofMillis(50));
		template().set(prefix.substring(0, prefix.length() - 1) + "-other", 1);
		awaitGone(prefix + "c", Duration.ofSeconds(5));
		assertThat(template().keys(prefix)).containsExactly(prefix + "a", prefix + "b");
		assertThat(template().keys("")).contains(prefix + "a", prefix + "b");
		assertThat(erlang("keys", bin(prefix)))
			.isEqualTo(new OtpErlangList(new OtpErlangObject[] { binary(prefix + "a"), binary(prefix + "b") }));
	}

	@Test
	void expireAndPersistChangeTheTtlOfLiveKeysOnly() {
		String key = key("expire");
		assertThat(template().expire(key, Duration.ofSeconds(1))).isFalse();
		assertThat(template().persist(key)).isFalse();
		template().set(key, "v");
		assertThat(template().expire(key, Duration.ofMillis(100))).isTrue();
		awaitGone(key, Duration.ofSeconds(5));
		assertThat(template().expire(key, Duration.ofSeconds(1))).isFalse();

		String persisted = key("persist");
		template().set(persisted, "v", Duration.ofMillis(100));
		long set = System.nanoTime();
		assertThat(template().persist(persisted)).isTrue();
		// read past the old TTL: the value stays
		while (System.nanoTime() - set < TimeUnit.MILLISECONDS.toNanos(250)) {
			assertThat(template().get(persisted)).isEqualTo("v");
		}
		assertThat(erlang("expire", bin(persisted) + ", 60000")).isEqualTo(new OtpErlangAtom("true"));
	}

	@Test
	void badArgumentsAreRejectedClearly() {
		assertThatIllegalArgumentException().isThrownBy(() -> template().get(null)).withMessageContaining("null");
		assertThatIllegalArgumentException().isThrownBy(() -> template().set("k", "v", Duration.ZERO))
			.withMessageContaining("TTL must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> template().expire("k", Duration.ofSeconds(-1)));
		assertThatExceptionOfType(ErlangEvalException.class).isThrownBy(() -> erlang("get", "\"a charlist\""))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("invalid_key"));
		assertThatExceptionOfType(ErlangEvalException.class).isThrownBy(() -> erlang("set", "<<\"k\">>, v, 0"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("invalid_ttl"));
		assertThatExceptionOfType(ErlangEvalException.class).isThrownBy(() -> erlang("incr", "<<\"k\">>, 1.5"))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("invalid_delta"));
	}

	@Test
	void erlangSetsTtlsInMilliseconds() {
		String key = key("erlang-ttl");
		assertThat(erlang("set", bin(key) + ", v, 100")).isEqualTo(new OtpErlangAtom("ok"));
		assertThat(template().get(key)).isEqualTo(new Atom("v"));
		awaitGone(key, Duration.ofSeconds(5));
		assertThat(erlang("get", bin(key))).isEqualTo(new OtpErlangAtom("undefined"));
		assertThat(erlang("put_if_absent", bin(key) + ", <<\"w\">>, infinity")).isEqualTo(new OtpErlangAtom("true"));
		assertThat(template().get(key)).isEqualTo("w");
		assertThat(erlang("get", bin(key))).isEqualTo(new OtpErlangBinary("w".getBytes()));
	}

	/** Reads until the key is gone, failing after {@code limit}. */
	void awaitGone(String key, Duration limit) {
		long deadline = System.nanoTime() + limit.toNanos();
		while (template().get(key) != null) {
			assertThat(System.nanoTime()).as("'" + key + "' still there after " + limit).isLessThan(deadline);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
	}

}
