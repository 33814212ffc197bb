package io.github.erlangspring.test;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Locates the Erlang/OTP installation used by the tests. A missing Erlang is always an error,
 * never a skip: tests of an Erlang bridge that silently do not run prove nothing.
 */
public final class ErlangRuntime {

	private static final String[] HARNESS_MODULES = { "esb_harness", "esb_test" };

	private static volatile Path harnessEbin;

	private ErlangRuntime() {
	}

	/**
	 * The {@code erl} executable: {@code $ERL}, else the first {@code erl} on the {@code PATH}.
	 * @return the path of {@code erl}
	 * @throws IllegalStateException when Erlang/OTP is not installed
	 */
	public static Path erl() {
		String explicit = System.getenv("ERL");
		if (explicit != null && !explicit.isBlank()) {
			return Path.of(explicit);
		}
		return onPath("erl").orElseThrow(() -> new IllegalStateException(
				"Erlang/OTP is required by this test but no 'erl' was found on the PATH. Install OTP 25+ "
						+ "(Debian: apt-get install erlang-nox erlang-jinterface) or run ./run-tests, which "
						+ "installs it. Tests never skip for lack of Erlang."));
	}

	static Optional<Path> onPath(String executable) {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir, executable);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * Makes sure the system EPMD runs on the default port ({@code epmd -daemon}, which does
	 * nothing when one runs already), so nodes of the JVM under test register with it rather
	 * than with an EPMD that lives and dies with one of them.
	 */
	public static synchronized void ensureEpmd() {
		Path epmd = erl().resolveSibling("epmd");
		String command = Files.isExecutable(epmd) ? epmd.toString() : "epmd";
		try {
			Process process = new ProcessBuilder(command, "-daemon").redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (process.waitFor() != 0) {
				throw new IllegalStateException("epmd -daemon failed with exit code " + process.exitValue());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot run epmd", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Directory holding the compiled harness module, extracted once per JVM from the classpath.
	 */
	static Path harnessEbin() {
		Path dir = harnessEbin;
		if (dir != null) {
			return dir;
		}
		synchronized (ErlangRuntime.class) {
			if (harnessEbin == null) {
				try {
					Path tmp = Files.createTempDirectory("esb-harness");
					tmp.toFile().deleteOnExit();
					// the harness itself, and esb_test: helpers every test node has (collectors,
					// echo servers, monitors)
					for (String module : HARNESS_MODULES) {
						try (InputStream in = ErlangRuntime.class.getResourceAsStream("ebin/" + module + ".beam")) {
							if (in == null) {
								throw new IllegalStateException(module + ".beam missing from the test-support jar");
							}
							Files.copy(in, tmp.resolve(module + ".beam"), StandardCopyOption.REPLACE_EXISTING);
							tmp.resolve(module + ".beam").toFile().deleteOnExit();
						}
					}
					harnessEbin = tmp;
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
			return harnessEbin;
		}
	}

}
