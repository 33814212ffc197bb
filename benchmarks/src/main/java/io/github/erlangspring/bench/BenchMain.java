package io.github.erlangspring.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpNode;
import io.github.erlangspring.test.ErlangPeer;

/**
 * Runs the benchmark scenarios (all, or those named by {@code --scenarios=}), prints a Markdown
 * table and writes {@code results.md} and {@code results.json} to the output directory. See
 * benchmarks/README.md and ./run-bench.
 */
public final class BenchMain {

	/** Every scenario, in the order they run. Add new ones here. */
	static final List<Scenario> SCENARIOS = List.of(new GenServerCallScenario(), new ErpcIntoJavaScenario(),
			new MessageThroughputScenario(true, false), new MessageThroughputScenario(true, true),
			new MessageThroughputScenario(false, false), new MessageThroughputScenario(false, true),
			new GenServerIntoJavaScenario(), new RpcFromJavaScenario(), new StartupScenario(), new SoakScenario());

	private BenchMain() {
	}

	public static void main(String[] args) throws Exception {
		BenchOptions options;
		List<Scenario> selected;
		try {
			options = BenchOptions.parse(args);
			selected = select(options.scenarios());
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		if (!Files.isRegularFile(options.ebin().resolve("esb_bench.beam"))) {
			System.err.println("esb_bench.beam is not in " + options.ebin() + ": build the module first (./run-bench).");
			System.exit(2);
		}
		System.exit(run(options, selected) ? 0 : 1);
	}

	/** Scenarios that run only when named ({@code --scenarios=scale}): they take minutes and gigabytes. */
	static final List<Scenario> ON_REQUEST = List.of(new ScaleScenario());

	private static List<Scenario> select(List<String> ids) {
		if (ids.isEmpty()) {
			return SCENARIOS;
		}
		List<Scenario> all = new java.util.ArrayList<>(SCENARIOS);
		all.addAll(ON_REQUEST);
		Set<String> known = all.stream().map(Scenario::id).collect(Collectors.toSet());
		for (String id : ids) {
			if (!known.contains(id)) {
				throw new IllegalArgumentException("unknown scenario " + id + "; known: " + known);
			}
		}
		return all.stream().filter((s) -> ids.contains(s.id())).toList();
	}

	/**
	 * Runs scenarios and writes the report.
	 * @return whether every scenario ran to the end
	 */
	static boolean run(BenchOptions options, List<Scenario> scenarios) throws IOException {
		String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		double loadBefore = LoadAverage.before();
		List<ErlangPeer> peers = new ArrayList<>();
		Thread cleanup = new Thread(() -> peers.forEach(ErlangPeer::close), "bench-cleanup");
		Runtime.getRuntime().addShutdownHook(cleanup);
		List<Report.Section> sections = new ArrayList<>();
		String otp;
		try {
			ErlangPeer server = ErlangPeer.builder().namePrefix("esb_bench_s").codePath(options.ebin()).start();
			peers.add(server);
			ErlangPeer driver = ErlangPeer.builder()
				.namePrefix("esb_bench_c")
				.cookie(server.cookie())
				.codePath(options.ebin())
				.start();
			peers.add(driver);
			driver.eval("pong = net_adm:ping(" + BenchContext.quoted(server.nodeName()) + ")");
			otp = new String(((OtpErlangBinary) server.eval("list_to_binary([erlang:system_info(otp_release), "
					+ "\" (erts \", erlang:system_info(version), \")\"])")).binaryValue(), StandardCharsets.UTF_8);
			BenchContext context = new BenchContext(options, server, driver, false);
			BenchContext.log("Erlang nodes " + server.nodeName() + " (server) and " + driver.nodeName()
					+ " (driver); warmup " + options.warmup().toMillis() + " ms, measure "
					+ options.measure().toMillis() + " ms, concurrency " + options.concurrency());
			for (Scenario scenario : scenarios) {
				List<Result> results = new ArrayList<>();
				String failure = null;
				BenchContext.log("scenario " + scenario.id() + ": " + scenario.title());
				try {
					if (!options.prime().isZero()) {
						BenchContext.log("priming " + scenario.id() + " (every variant for " + options.prime().toMillis()
								+ " ms with 8 callers, results dropped)");
						scenario.run(new BenchContext(options.forPriming(), server, driver, true), (dropped) -> {
						});
					}
					scenario.run(context, (result) -> {
						results.add(result);
						BenchContext.log(String.format("  %s x%d: %.0f calls/s, p50 %.1f us, p99 %.1f us, %d errors",
								result.variant(), result.concurrency(), result.stats().throughput(),
								result.stats().p50Nanos() / 1000.0, result.stats().p99Nanos() / 1000.0,
								result.stats().errors()));
					});
				}
				catch (Exception | AssertionError ex) {
					failure = ex.toString() + ((ex.getCause() != null) ? " (cause: " + ex.getCause() + ")" : "");
					BenchContext.log("scenario " + scenario.id() + " FAILED: " + failure);
					ex.printStackTrace();
				}
				sections.add(new Report.Section(scenario, scenario.notes(context), results, failure));
			}
		}
		finally {
			peers.forEach(ErlangPeer::close);
			Runtime.getRuntime().removeShutdownHook(cleanup);
		}
		Report report = new Report(new Report.Environment(started, Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), otp,
				jinterfaceVersion(), loadBefore, LoadAverage.now(), LoadAverage.max(), options), sections);
		report.write(options.out());
		System.out.println(report.markdown());
		BenchContext.log("wrote " + options.out().resolve("results.md") + ", " + options.out().resolve("results.json")
				+ " and " + options.out().resolve("results.png"));
		return sections.stream().allMatch((s) -> s.failure() == null);
	}

	private static String jinterfaceVersion() {
		try {
			String jar = Path.of(OtpNode.class.getProtectionDomain().getCodeSource().getLocation().toURI())
				.getFileName()
				.toString();
			return jar.replaceFirst("^jinterface-", "").replaceFirst("\\.jar$", "");
		}
		catch (Exception ex) {
			return "?";
		}
	}

}
