package io.github.erlangspring.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangObject;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.state.StateBackend;
import io.github.erlangspring.state.StateTemplate;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangRuntime;

/**
 * Throughput of shared state, in one run on one machine: {@code get}, {@code set}, {@code incr}
 * and {@code getMulti} of 100 keys through {@link StateTemplate} on the {@code local} backend
 * and on the {@code ets} and {@code mnesia} backends (each operation an {@code erpc} call to an Erlang
 * node; the Mnesia table has a second replica on another node), against
 * a plain {@link ConcurrentHashMap} in Java and against the same ETS table used from compiled
 * Erlang on its own node ({@code spring_bridge_state}, and raw {@code ets} calls). Each cell is
 * operations per second with N threads (Java) or N processes (Erlang) running the operation in a
 * closed loop for the measuring time, after a warm-up of every Java variant.
 * <pre>
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.github.erlangspring.bench.StateThroughput [seconds] [concurrency,...] [ebin]
 * </pre>
 */
public final class StateThroughput {

	private static final String TABLE = "esb_bench_state";

	private static final List<String> OPERATIONS = List.of("get", "set", "incr", "getMulti(100)");

	private static final List<String> KEYS = new ArrayList<>();

	static {
		for (int i = 1; i <= 100; i++) {
			KEYS.add("bench:" + i);
		}
	}

	private static final AtomicLong sink = new AtomicLong();

	public static void main(String[] args) throws Exception {
		double seconds = (args.length > 0) ? Double.parseDouble(args[0]) : 2;
		List<Integer> concurrency = new ArrayList<>();
		for (String each : ((args.length > 1) ? args[1] : "1,4").split(",")) {
			concurrency.add(Integer.parseInt(each.strip()));
		}
		Path ebin = Path.of((args.length > 2) ? args[2] : "benchmarks/target/erlang/ebin");
		if (!Files.isRegularFile(ebin.resolve("esb_state_bench.beam"))) {
			throw new IllegalStateException("esb_state_bench.beam is not in " + ebin + ": build the module first");
		}
		ErlangRuntime.ensureEpmd();
		try (ErlangPeer peer = ErlangPeer.builder().namePrefix("esb_bench_s").codePath(ebin).start();
				ErlangPeer replica = ErlangPeer.builder().namePrefix("esb_bench_r").cookie(peer.cookie()).start();
				ErlangNode node = ErlangNode.start(
						NodeConfig.builder(BenchContext.uniqueNodeName("esb_bench_j")).cookie(peer.cookie()).build())) {
			SpringBridgeLoader loader = new SpringBridgeLoader(node, Set.of(), Duration.ofSeconds(10));
			loader.load(peer.nodeName());
			loader.load(replica.nodeName());
			DefaultErlangConverter converter = new DefaultErlangConverter();
			try (StateBackend local = StateBackend.local();
					StateBackend ets = StateBackend.ets(node, peer.nodeName(), TABLE, Duration.ofSeconds(5),
							loader::load);
					StateBackend mnesia = StateBackend.mnesia(node, List.of(peer.nodeName(), replica.nodeName()),
							TABLE + "_mnesia", Duration.ofSeconds(5), loader::load)) {
				Map<String, Variant> variants = new LinkedHashMap<>();
				variants.put("ConcurrentHashMap", chm());
				variants.put("StateTemplate local", template(new StateTemplate(local, converter)));
				variants.put("StateTemplate ets (Java -> erpc)", template(new StateTemplate(ets, converter)));
				variants.put("StateTemplate mnesia, 2 replicas (Java -> erpc)",
						template(new StateTemplate(mnesia, converter)));
				new StateThroughput().run(peer, variants, seconds, concurrency);
			}
		}
	}

	private void run(ErlangPeer peer, Map<String, Variant> variants, double seconds, List<Integer> concurrency)
			throws Exception {
		for (Variant variant : variants.values()) {
			variant.prepare();
			for (String operation : OPERATIONS) {
				measure(variant, operation, 1, 0.5);
			}
		}
		List<String> columns = new ArrayList<>(variants.keySet());
		columns.add("ets from Erlang (spring_bridge_state)");
		columns.add("ets from Erlang (raw ets)");
		List<String> rows = new ArrayList<>();
		for (String operation : OPERATIONS) {
			for (int threads : concurrency) {
				List<Double> cells = new ArrayList<>();
				for (Variant variant : variants.values()) {
					cells.add(measure(variant, operation, threads, seconds));
				}
				cells.add(erlang(peer, erlangOp(operation, false), threads, seconds));
				cells.add(erlang(peer, erlangOp(operation, true), threads, seconds));
				StringBuilder row = new StringBuilder("| " + operation + " | " + threads + " |");
				cells.forEach((cell) -> row.append(String.format(" %,.0f |", cell)));
				rows.add(row.toString());
				System.out.println(row);
			}
		}
		System.out.printf("%nops/s, %.1f s per cell, one JVM and one erl node on this machine (%d cores)%n%n", seconds,
				Runtime.getRuntime().availableProcessors());
		StringBuilder header = new StringBuilder("| operation | threads/processes |");
		StringBuilder rule = new StringBuilder("|---|---:|");
		columns.forEach((column) -> {
			header.append(' ').append(column).append(" |");
			rule.append("---:|");
		});
		System.out.println(header);
		System.out.println(rule);
		rows.forEach(System.out::println);
	}

	private static String erlangOp(String operation, boolean raw) {
		return switch (operation) {
			case "get" -> raw ? "ets_lookup" : "get";
			case "set" -> raw ? "ets_insert" : "set";
			case "incr" -> raw ? "ets_update_counter" : "incr";
			default -> raw ? "ets_lookup_100" : "get_multi_100";
		};
	}

	private static double erlang(ErlangPeer peer, String op, int processes, double seconds) {
		OtpErlangObject rate = peer.eval("esb_state_bench:run(" + op + ", " + TABLE + ", " + processes + ", "
				+ Math.round(seconds * 1000) + ")", Duration.ofSeconds(Math.round(seconds) + 30));
		return ((OtpErlangDouble) rate).doubleValue();
	}

	private static double measure(Variant variant, String operation, int threads, double seconds) throws Exception {
		Runnable op = variant.operation(operation);
		long duration = Math.round(seconds * 1e9);
		CountDownLatch start = new CountDownLatch(1);
		AtomicLong total = new AtomicLong();
		List<Thread> workers = new ArrayList<>();
		long[] window = new long[2];
		for (int i = 0; i < threads; i++) {
			Thread worker = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					return;
				}
				long deadline = window[0] + duration;
				long count = 0;
				do {
					for (int n = 0; n < 64; n++) {
						op.run();
					}
					count += 64;
				}
				while (System.nanoTime() < deadline);
				total.addAndGet(count);
			}, "state-bench-" + i);
			workers.add(worker);
			worker.start();
		}
		window[0] = System.nanoTime();
		start.countDown();
		for (Thread worker : workers) {
			worker.join();
		}
		window[1] = System.nanoTime();
		return total.get() * 1e9 / (window[1] - window[0]);
	}

	private static Variant chm() {
		Map<String, Object> map = new ConcurrentHashMap<>();
		return new Variant() {

			@Override
			public void prepare() {
				KEYS.forEach((key) -> map.put(key, "value"));
				map.put("bench:counter", 0L);
			}

			@Override
			public Runnable operation(String operation) {
				return switch (operation) {
					case "get" -> () -> sink.addAndGet(map.get("bench:1").hashCode());
					case "set" -> () -> map.put("bench:1", "value");
					case "incr" -> () -> sink.addAndGet((Long) map.merge("bench:counter", 1L,
							(a, b) -> (Long) a + (Long) b));
					default -> () -> {
						Map<String, Object> values = new HashMap<>();
						for (String key : KEYS) {
							values.put(key, map.get(key));
						}
						sink.addAndGet(values.size());
					};
				};
			}

		};
	}

	private static Variant template(StateTemplate state) {
		return new Variant() {

			@Override
			public void prepare() {
				KEYS.forEach((key) -> state.set(key, "value"));
				state.set("bench:counter", 0);
			}

			@Override
			public Runnable operation(String operation) {
				return switch (operation) {
					case "get" -> () -> sink.addAndGet(state.get("bench:1").hashCode());
					case "set" -> () -> state.set("bench:1", "value");
					case "incr" -> () -> sink.addAndGet(state.incr("bench:counter"));
					default -> () -> sink.addAndGet(state.getMulti(KEYS).size());
				};
			}

		};
	}

	private interface Variant {

		void prepare();

		Runnable operation(String operation);

	}

}
