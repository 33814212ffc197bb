package io.github.erlangspring.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangDecodeException;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Erlang node ({@code erl}) started for a test, with a side channel (its standard input and
 * output) to evaluate Erlang expressions on it independently of the distribution code under test.
 * <p>
 * The node halts by itself when its standard input closes, so it never outlives the JVM that
 * started it, even when that JVM is killed.
 */
public final class ErlangPeer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ErlangPeer.class);

	private static final String MARK = "\u0001ESB ";

	private static final SecureRandom random = new SecureRandom();

	private static final AtomicLong nodeCounter = new AtomicLong();

	private final Builder options;

	private final String nodeName;

	private final AtomicLong requestIds = new AtomicLong();

	private final Map<String, CompletableFuture<OtpErlangObject>> pending = new ConcurrentHashMap<>();

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private Process process;

	private OutputStream stdin;

	private ErlangPeer(Builder options) {
		this.options = options;
		this.nodeName = options.alive + "@" + options.host;
	}

	/**
	 * Starts building a peer with a unique node name and a random cookie.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/** @return the full node name, e.g. {@code esb_t1_ab12@127.0.0.1} */
	public String nodeName() {
		return this.nodeName;
	}

	/** @return the cookie this node was started with */
	public String cookie() {
		return this.options.cookie;
	}

	/** @return the operating-system process id of the node's emulator */
	public long pid() {
		return this.process.pid();
	}

	/** @return whether the emulator process is still running */
	public boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	private ErlangPeer start() {
		List<String> command = new ArrayList<>();
		command.add(ErlangRuntime.erl().toString());
		command.add("-noshell");
		command.add(this.options.longNames ? "-name" : "-sname");
		command.add(this.nodeName);
		command.add("-setcookie");
		command.add(this.options.cookie);
		if (this.options.hidden) {
			command.add("-hidden");
		}
		if (this.options.netTicktime != null) {
			command.add("-kernel");
			command.add("net_ticktime");
			command.add(Long.toString(this.options.netTicktime.toSeconds()));
		}
		if (this.options.epmdPort > 0) {
			command.add("-start_epmd");
			command.add("false");
		}
		command.add("-pa");
		command.add(ErlangRuntime.harnessEbin().toString());
		for (Path path : this.options.codePaths) {
			command.add("-pa");
			command.add(path.toString());
		}
		command.addAll(this.options.extraArgs);
		command.add("-s");
		command.add("esb_harness");
		command.add("main");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		if (this.options.epmdPort > 0) {
			builder.environment().put("ERL_EPMD_PORT", Integer.toString(this.options.epmdPort));
		}
		try {
			this.process = builder.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start erl for " + this.nodeName, ex);
		}
		this.stdin = this.process.getOutputStream();
		Thread reader = new Thread(this::readOutput, "erl-peer-" + this.options.alive);
		reader.setDaemon(true);
		reader.start();
		try {
			this.ready.get(this.options.startTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			close();
			throw new IllegalStateException("Erlang node " + this.nodeName + " did not start within "
					+ this.options.startTimeout + " (" + command + ")", ex);
		}
		logger.debug("Started Erlang node {} (os pid {})", this.nodeName, this.process.pid());
		return this;
	}

	private void readOutput() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				int at = line.indexOf(MARK);
				if (at < 0) {
					logger.info("[{}] {}", this.options.alive, line);
					continue;
				}
				String[] parts = line.substring(at + MARK.length()).split(" ", 2);
				if ("0".equals(parts[0])) {
					this.ready.complete(null);
					continue;
				}
				CompletableFuture<OtpErlangObject> future = this.pending.remove(parts[0]);
				if (future != null) {
					try {
						future.complete(new OtpInputStream(Base64.getDecoder().decode(parts[1])).read_any());
					}
					catch (OtpErlangDecodeException | RuntimeException ex) {
						future.completeExceptionally(ex);
					}
				}
			}
		}
		catch (IOException ex) {
			// the process ended
		}
		IllegalStateException ended = new IllegalStateException("Erlang node " + this.nodeName + " exited");
		this.ready.completeExceptionally(ended);
		this.pending.values().forEach((future) -> future.completeExceptionally(ended));
		this.pending.clear();
	}

	/**
	 * Evaluates Erlang expressions on this node, in a fresh process, waiting up to 30 seconds.
	 * @param expression one or more comma-separated Erlang expressions (the final dot is optional)
	 * @return the value of the last expression
	 * @throws ErlangEvalException when the expression raised
	 */
	public OtpErlangObject eval(String expression) {
		return eval(expression, Duration.ofSeconds(30));
	}

	/**
	 * Evaluates Erlang expressions on this node, waiting up to {@code timeout}.
	 * @param expression one or more comma-separated Erlang expressions
	 * @param timeout how long to wait for the result
	 * @return the value of the last expression
	 * @throws ErlangEvalException when the expression raised
	 */
	public OtpErlangObject eval(String expression, Duration timeout) {
		try {
			return evalAsync(expression).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("No result for '" + expression + "' on " + this.nodeName
					+ " within " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Evaluates without waiting: for expressions that block until the test does something.
	 * @param expression one or more comma-separated Erlang expressions
	 * @return the future value of the last expression
	 */
	public CompletableFuture<OtpErlangObject> evalAsync(String expression) {
		String id = Long.toString(this.requestIds.incrementAndGet());
		CompletableFuture<OtpErlangObject> answer = new CompletableFuture<>();
		this.pending.put(id, answer);
		String line = id + " " + Base64.getEncoder().encodeToString(expression.getBytes(StandardCharsets.UTF_8))
				+ "\n";
		try {
			synchronized (this) {
				this.stdin.write(line.getBytes(StandardCharsets.US_ASCII));
				this.stdin.flush();
			}
		}
		catch (IOException ex) {
			this.pending.remove(id);
			answer.completeExceptionally(new IllegalStateException("Erlang node " + this.nodeName + " is gone", ex));
		}
		return answer.thenApply((result) -> unwrap(expression, (OtpErlangTuple) result));
	}

	private static OtpErlangObject unwrap(String expression, OtpErlangTuple result) {
		if (((OtpErlangAtom) result.elementAt(0)).atomValue().equals("ok")) {
			return result.elementAt(1);
		}
		OtpErlangTuple error = (OtpErlangTuple) result.elementAt(1);
		throw new ErlangEvalException(expression, error.elementAt(0), error.elementAt(1), error.elementAt(2));
	}

	/** Kills the emulator with SIGKILL, as {@code kill -9} would, and waits for it to be gone. */
	public void kill() {
		this.process.destroyForcibly();
		waitFor();
	}

	/** Suspends the emulator with SIGSTOP: the node stays connected but answers nothing. */
	public void suspend() {
		signal("STOP");
	}

	/** Resumes an emulator suspended by {@link #suspend()}. */
	public void resume() {
		signal("CONT");
	}

	private void signal(String signal) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(this.process.pid())).start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + signal + " failed for " + this.nodeName);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Starts a new node with the same name, cookie and options (after {@link #kill()} or
	 * {@link #close()}).
	 * @return the restarted node
	 */
	public ErlangPeer restart() {
		close();
		return this.options.start();
	}

	/**
	 * Stops the node: closes its standard input (the node halts) and, if it does not exit within
	 * five seconds, kills it.
	 */
	@Override
	public void close() {
		if (this.process == null || !this.process.isAlive()) {
			return;
		}
		resumeQuietly();
		try {
			this.stdin.close();
		}
		catch (IOException ex) {
			// already closed
		}
		try {
			if (!this.process.waitFor(5, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		waitFor();
	}

	private void resumeQuietly() {
		try {
			new ProcessBuilder("kill", "-CONT", Long.toString(this.process.pid())).start().waitFor();
		}
		catch (IOException ex) {
			// best effort: a running node ignores SIGCONT
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void waitFor() {
		try {
			this.process.waitFor();
			this.process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return "ErlangPeer[" + this.nodeName + "]";
	}

	/**
	 * A random cookie, as the harness gives every node.
	 * @return 24 random letters and digits
	 */
	public static String randomCookie() {
		byte[] bytes = new byte[18];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replace('-', 'A').replace('_', 'B');
	}

	/**
	 * A node name part (before {@code @}) unique to this run: prefix, counter, JVM pid, random.
	 * @param prefix the start of the name
	 * @return the unique name part
	 */
	public static String uniqueAlive(String prefix) {
		byte[] bytes = new byte[3];
		random.nextBytes(bytes);
		StringBuilder suffix = new StringBuilder();
		for (byte b : bytes) {
			suffix.append(String.format("%02x", b));
		}
		return prefix + nodeCounter.incrementAndGet() + "_" + ProcessHandle.current().pid() + "_" + suffix;
	}

	/**
	 * Options of a node to start. Defaults: long names on {@code 127.0.0.1}, a unique name, a
	 * random cookie, the system EPMD.
	 */
	public static final class Builder {

		private String alive = uniqueAlive("esb_t");

		private String host = "127.0.0.1";

		private boolean longNames = true;

		private String cookie = randomCookie();

		private boolean hidden;

		private Duration netTicktime;

		private int epmdPort;

		private Duration startTimeout = Duration.ofSeconds(30);

		private final List<Path> codePaths = new ArrayList<>();

		private final List<String> extraArgs = new ArrayList<>();

		private ErlangPeerExtension owner;

		private Builder() {
			String testEbin = System.getProperty("erlang.test.ebin");
			if (testEbin != null && Path.of(testEbin).toFile().isDirectory()) {
				this.codePaths.add(Path.of(testEbin));
			}
		}

		/** Uses this node name prefix (a unique suffix is added). */
		public Builder namePrefix(String prefix) {
			this.alive = uniqueAlive(prefix);
			return this;
		}

		/** Uses short names ({@code -sname}) with the given host part. */
		public Builder shortNames(String host) {
			this.longNames = false;
			this.host = host;
			return this;
		}

		/** Uses this cookie instead of a random one. */
		public Builder cookie(String cookie) {
			this.cookie = cookie;
			return this;
		}

		/** Starts the node hidden ({@code -hidden}). */
		public Builder hidden() {
			this.hidden = true;
			return this;
		}

		/** Sets {@code -kernel net_ticktime} (whole seconds). */
		public Builder netTicktime(Duration ticktime) {
			this.netTicktime = ticktime;
			return this;
		}

		/** Uses the EPMD on this port (ERL_EPMD_PORT) and does not start one. */
		public Builder epmdPort(int port) {
			this.epmdPort = port;
			return this;
		}

		/** Adds a code path ({@code -pa}). */
		public Builder codePath(Path path) {
			this.codePaths.add(path);
			return this;
		}

		/** Adds raw {@code erl} arguments, e.g. {@code "-kernel", "start_pg", "true"}. */
		public Builder args(String... args) {
			this.extraArgs.addAll(List.of(args));
			return this;
		}

		/** How long to wait for the node to come up (default 30 seconds). */
		public Builder startTimeout(Duration timeout) {
			this.startTimeout = timeout;
			return this;
		}

		Builder owner(ErlangPeerExtension owner) {
			this.owner = owner;
			return this;
		}

		/**
		 * Starts the node and waits until it is up and distributed.
		 * @return the started node
		 */
		public ErlangPeer start() {
			ErlangPeer peer = new ErlangPeer(this);
			if (this.owner != null) {
				this.owner.track(peer);
			}
			return peer.start();
		}

	}

}
