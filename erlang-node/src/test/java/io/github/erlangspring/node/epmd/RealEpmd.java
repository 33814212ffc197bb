package io.github.erlangspring.node.epmd;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.erlangspring.test.ErlangRuntime;

/**
 * The real {@code epmd} program of the installed Erlang/OTP: a daemon run in the foreground as a
 * child process on a free port, and the {@code epmd -port P -names} command.
 */
final class RealEpmd implements AutoCloseable {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private final Process process;

	private final int port;

	private RealEpmd(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * Starts {@code epmd -port P} on a free port and waits until it accepts connections.
	 */
	static RealEpmd start() throws IOException, InterruptedException {
		IOException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			int port = freePort();
			Process process = command("-port", Integer.toString(port)).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (awaitListening(process, port)) {
				return new RealEpmd(process, port);
			}
			process.destroyForcibly().waitFor();
			failure = new IOException("epmd did not come up on port " + port + " within " + STARTUP_TIMEOUT);
		}
		throw failure;
	}

	int port() {
		return this.port;
	}

	/**
	 * Runs {@code epmd -port P -names} and returns its output.
	 */
	static String names(int port) throws IOException, InterruptedException {
		Process process = command("-port", Integer.toString(port), "-names").redirectErrorStream(true).start();
		process.getOutputStream().close();
		CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
		if (!process.waitFor(15, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			throw new IllegalStateException("epmd -names did not finish");
		}
		return output.join();
	}

	/**
	 * Polls a condition until it holds or the timeout elapses.
	 */
	static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			Thread.sleep(20);
		}
		return true;
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

	private static boolean awaitListening(Process process, int port) throws InterruptedException {
		return await(STARTUP_TIMEOUT, () -> process.isAlive() && accepts(port)) && process.isAlive();
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static ProcessBuilder command(String... args) {
		List<String> command = new ArrayList<>();
		command.add(executable());
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().remove("ERL_EPMD_PORT");
		builder.environment().remove("ERL_EPMD_ADDRESS");
		return builder;
	}

	private static String executable() {
		Path erl = ErlangRuntime.erl();
		try {
			Path sibling = erl.toRealPath().resolveSibling("epmd");
			if (Files.isExecutable(sibling)) {
				return sibling.toString();
			}
		}
		catch (IOException ex) {
			// fall back to the PATH
		}
		return "epmd";
	}

	private static String readAll(InputStream in) {
		try (in) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

}
