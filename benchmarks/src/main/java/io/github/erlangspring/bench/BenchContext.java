package io.github.erlangspring.bench;

import java.io.IOException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangRangeException;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpNode;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.test.ErlangPeer;

/**
 * What scenarios share: the options, two real Erlang nodes started for the run (same random
 * cookie, esb_bench loaded), and ways to start Java nodes and generate load.
 * <ul>
 * <li>{@link #server()}: the node that serves (esb_bench_echo gen_server, esb_bench:echo/1)</li>
 * <li>{@link #driver()}: the node whose processes drive Erlang-side load ({@code esb_bench:run})</li>
 * </ul>
 */
public final class BenchContext {

	/** The request every scenario sends: {@code {ping, 12345}} (esb_bench:request/0). */
	public static final OtpErlangObject REQUEST = new OtpErlangTuple(
			new OtpErlangObject[] { new OtpErlangAtom("ping"), new OtpErlangLong(12345) });

	private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

	private final BenchOptions options;

	private final ErlangPeer server;

	private final ErlangPeer driver;

	private final CpuMeter cpu;

	private final boolean priming;

	BenchContext(BenchOptions options, ErlangPeer server, ErlangPeer driver, boolean priming) {
		this.options = options;
		this.priming = priming;
		this.server = server;
		this.driver = driver;
		this.cpu = new CpuMeter(List.of(server.pid(), driver.pid()));
	}

	/**
	 * Whether to measure this variant ({@code --variants=}; all when none given).
	 * @param variant one of {@link Variants}
	 * @return whether it was asked for
	 */
	public boolean wants(String variant) {
		return this.options.variants().isEmpty() || this.options.variants().contains(variant);
	}

	public BenchOptions options() {
		return this.options;
	}

	/** @return whether this is a priming pass, whose results are dropped */
	public boolean priming() {
		return this.priming;
	}

	public ErlangPeer server() {
		return this.server;
	}

	public ErlangPeer driver() {
		return this.driver;
	}

	/** @return the cookie of both Erlang nodes; Java nodes must use it */
	public String cookie() {
		return this.server.cookie();
	}

	/** @return a unique long node name on 127.0.0.1 */
	public static String uniqueNodeName(String prefix) {
		return ErlangPeer.uniqueAlive(prefix) + "@127.0.0.1";
	}

	/** @return {@code 'name'}, for Erlang source */
	public static String quoted(String atom) {
		return "'" + atom.replace("\\", "\\\\").replace("'", "\\'") + "'";
	}

	/** Starts an {@link ErlangNode} with the run's cookie (system EPMD); close it when done. */
	public ErlangNode startErlangNode(String prefix) throws IOException {
		return ErlangNode.start(NodeConfig.builder(uniqueNodeName(prefix)).cookie(cookie()).build());
	}

	/** Starts a JInterface {@link OtpNode} with the run's cookie (registers with the system EPMD). */
	public JInterfaceNode startJInterfaceNode(String prefix) throws IOException {
		return new JInterfaceNode(new OtpNode(uniqueNodeName(prefix), cookie()));
	}

	/**
	 * Closed-loop load from {@code concurrency} processes of the driver node, timed there
	 * ({@code esb_bench:run/4}).
	 * @param target Erlang source of the target, e.g. {@code {gen_call, {esb_bench_echo, 'n@h'}}}
	 * @param concurrency processes
	 * @return the measurement
	 */
	public Stats erlangLoad(String target, int concurrency) throws Exception {
		return erlangLoad(target, concurrency, "esb_bench:request()");
	}

	/**
	 * Closed-loop load as {@link #erlangLoad(String, int)}, with another request term.
	 * @param request Erlang source of the request, e.g. {@code binary:copy(<<7>>, 10240)}
	 */
	public Stats erlangLoad(String target, int concurrency, String request) throws Exception {
		Duration timeout = this.options.warmup().plus(this.options.measure()).plusSeconds(120);
		long start = System.nanoTime();
		CompletableFuture<OtpErlangObject> result = this.driver.evalAsync("esb_bench:run(" + target + ", "
				+ concurrency + ", " + this.options.warmup().toMillis() + ", " + this.options.measure().toMillis() + ", "
				+ request + ")");
		// The driver opens its window warmup after it starts (plus one first call): close enough
		// for CPU accounting at /proc's 10 ms resolution.
		JavaLoad.sleepUntil(start + this.options.warmup().toNanos());
		CpuMeter.Snapshot opened = this.cpu.take();
		JavaLoad.sleepUntil(start + this.options.warmup().plus(this.options.measure()).toNanos());
		CpuMeter.Snapshot closed = this.cpu.take();
		OtpErlangObject answer;
		try {
			answer = result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		OtpErlangTuple t = (OtpErlangTuple) answer;
		try {
			long calls = num(t, 0);
			return new Stats(calls, num(t, 1), num(t, 2), num(t, 3), num(t, 4),
					CpuMeter.Usage.between(opened, closed, calls));
		}
		catch (OtpErlangRangeException ex) {
			throw new IllegalStateException("unexpected answer " + answer, ex);
		}
	}

	private static long num(OtpErlangTuple tuple, int i) throws OtpErlangRangeException {
		return ((OtpErlangLong) tuple.elementAt(i)).longValue();
	}

	/**
	 * Closed-loop load from {@code threads} Java threads, timed with {@link System#nanoTime()}.
	 * @param name for thread names
	 * @param threads concurrent callers
	 * @param factory makes each thread's caller
	 * @return the measurement
	 */
	public Stats javaLoad(String name, int threads, JavaLoad.CallerFactory factory) throws Exception {
		CpuMeter.Snapshot[] window = new CpuMeter.Snapshot[2];
		Stats stats = JavaLoad.run(name, threads, this.options.warmup(), this.options.measure(), factory,
				new JavaLoad.Window() {
					@Override
					public void opened() {
						window[0] = BenchContext.this.cpu.take();
					}

					@Override
					public void closed() {
						window[1] = BenchContext.this.cpu.take();
					}
				});
		return stats.withUsage(CpuMeter.Usage.between(window[0], window[1], stats.calls()));
	}

	/** Prints a progress line on standard error (not while priming). */
	public void progress(String message) {
		if (!this.priming) {
			log(message);
		}
	}

	/** Prints a progress line on standard error. */
	public static void log(String message) {
		System.err.println("[bench " + LocalTime.now().format(CLOCK) + "] " + message);
	}

	/** A JInterface node, closeable. */
	public record JInterfaceNode(OtpNode node) implements AutoCloseable {

		public String name() {
			return this.node.node();
		}

		@Override
		public void close() {
			this.node.close();
		}

	}

}
