package io.github.erlangspring.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time and context switches of this JVM and of the run's erl nodes, read from {@code /proc}
 * (Linux) at the edges of a measurement window, so a row can say what one call cost each side.
 * Where {@code /proc} is missing the numbers are -1.
 */
final class CpuMeter {

	/** USER_HZ: the unit of utime/stime in /proc/PID/stat; 100 on every Linux that matters. */
	private static final long TICK_NANOS = 10_000_000L;

	private final List<Long> erlPids;

	CpuMeter(List<Long> erlPids) {
		this.erlPids = List.copyOf(erlPids);
	}

	/** Counters at one instant. */
	record Snapshot(long jvmCpuNanos, long erlCpuNanos, long jvmSwitches, long erlSwitches) {
	}

	/**
	 * Cost per call over a window.
	 *
	 * @param jvmCpuMicros CPU time of this JVM per call, µs
	 * @param erlCpuMicros CPU time of the erl nodes (together) per call, µs (10 ms resolution over
	 * the window)
	 * @param jvmSwitches context switches (voluntary + involuntary) of this JVM's threads per call
	 * @param erlSwitches context switches of the erl nodes' threads per call
	 */
	record Usage(double jvmCpuMicros, double erlCpuMicros, double jvmSwitches, double erlSwitches) {

		static Usage between(Snapshot a, Snapshot b, long calls) {
			if (calls <= 0 || a == null || b == null) {
				return null;
			}
			return new Usage(per(a.jvmCpuNanos(), b.jvmCpuNanos(), calls) / 1000.0,
					per(a.erlCpuNanos(), b.erlCpuNanos(), calls) / 1000.0, per(a.jvmSwitches(), b.jvmSwitches(), calls),
					per(a.erlSwitches(), b.erlSwitches(), calls));
		}

		private static double per(long before, long after, long calls) {
			return (before < 0 || after < 0) ? -1 : (double) (after - before) / calls;
		}

	}

	Snapshot take() {
		long erlCpu = 0;
		long erlSwitches = 0;
		for (long pid : this.erlPids) {
			long cpu = processCpuNanos(pid);
			long switches = switches(Path.of("/proc", Long.toString(pid), "task"));
			erlCpu = (erlCpu < 0 || cpu < 0) ? -1 : erlCpu + cpu;
			erlSwitches = (erlSwitches < 0 || switches < 0) ? -1 : erlSwitches + switches;
		}
		return new Snapshot(jvmCpuNanos(), erlCpu, switches(Path.of("/proc/self/task")), erlSwitches);
	}

	private static long jvmCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	private static long processCpuNanos(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
			// the command name (field 2) may hold spaces: fields after it start after the last ')'
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS; // utime, stime
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static long switches(Path tasks) {
		List<Path> threads;
		try (Stream<Path> list = Files.list(tasks)) {
			threads = list.toList();
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
		long total = 0;
		for (Path task : threads) {
			try {
				for (String line : Files.readAllLines(task.resolve("status"))) {
					if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
						total += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// the thread ended meanwhile
			}
		}
		return total;
	}

}
