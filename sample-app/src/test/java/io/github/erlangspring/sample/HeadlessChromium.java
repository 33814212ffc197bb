package io.github.erlangspring.sample;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A headless Chromium (the Debian package) showing one page, driven through the DevTools protocol
 * over a WebSocket: evaluate JavaScript, take a screenshot. A missing Chromium is an error, never
 * a skip ({@code apt-get install chromium}; {@code scripts/setup} installs it as root).
 */
final class HeadlessChromium implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(HeadlessChromium.class);

	private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Process process;

	private final Path profile;

	private final WebSocket socket;

	private final AtomicInteger ids = new AtomicInteger();

	private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

	private HeadlessChromium(Process process, Path profile, WebSocket.Builder socket, URI page) throws IOException {
		this.process = process;
		this.profile = profile;
		try {
			// bounded: a DevTools socket that never opens fails the test instead of hanging it
			this.socket = socket.buildAsync(page, new Listener()).get(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while opening the DevTools socket", ex);
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new IOException("cannot open the DevTools socket of " + page + ": " + ex, ex);
		}
	}

	/**
	 * Starts Chromium on a page.
	 * @param url the page
	 * @return the browser, showing the page
	 */
	static HeadlessChromium open(String url) throws IOException, InterruptedException {
		Path profile = Files.createTempDirectory("esb-chromium");
		List<String> command = List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
				"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1000,700", "--user-data-dir=" + profile,
				"--remote-debugging-port=0", url);
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try {
			URI browser = URI.create(awaitListening(process));
			HttpClient http = HttpClient.newHttpClient();
			URI page = pageTarget(http, browser, url);
			return new HeadlessChromium(process, profile, http.newWebSocketBuilder(), page);
		}
		catch (IOException | RuntimeException ex) {
			kill(process);
			deleteTree(profile);
			throw ex;
		}
	}

	private static String chromium() {
		String explicit = System.getenv("CHROMIUM");
		if (explicit != null && !explicit.isBlank()) {
			return explicit;
		}
		for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
			for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
				if (Files.isExecutable(Path.of(dir, name))) {
					return Path.of(dir, name).toString();
				}
			}
		}
		throw new IllegalStateException("This browser test needs Chromium, but none is on the PATH (or in $CHROMIUM). "
				+ "Install it (Debian: apt-get install chromium), or run scripts/setup as root, which does.");
	}

	/** Reads the browser's output until it tells its DevTools address; the rest goes to the log. */
	private static String awaitListening(Process process) throws IOException, InterruptedException {
		CompletableFuture<String> address = new CompletableFuture<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					Matcher matcher = LISTENING.matcher(line);
					if (matcher.find()) {
						address.complete(matcher.group(1));
					}
					logger.debug("[chromium] {}", line);
				}
			}
			catch (IOException ex) {
				// the browser exited
			}
			address.completeExceptionally(new IOException("Chromium exited before listening for DevTools"));
		}, "chromium-output");
		reader.setDaemon(true);
		reader.start();
		try {
			return address.get(30, TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			throw new IOException(ex.getCause().getMessage(), ex.getCause());
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new IOException("Chromium did not listen for DevTools within 30 s");
		}
	}

	/** The DevTools WebSocket of the tab showing {@code url}. */
	@SuppressWarnings("unchecked")
	private static URI pageTarget(HttpClient http, URI browser, String url) throws IOException, InterruptedException {
		URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (true) {
			String body = http.send(HttpRequest.newBuilder(list).build(), HttpResponse.BodyHandlers.ofString()).body();
			for (Object target : json.readValue(body, List.class)) {
				Map<String, Object> page = (Map<String, Object>) target;
				if ("page".equals(page.get("type")) && String.valueOf(page.get("url")).startsWith(url.split("\\?")[0])) {
					return URI.create((String) page.get("webSocketDebuggerUrl"));
				}
			}
			if (System.nanoTime() > deadline) {
				throw new IOException("Chromium shows no tab for " + url + ": " + body);
			}
			// a poll interval, not a spin: on two cores a spin takes a core from the browser it waits for
			Thread.sleep(20);
		}
	}

	/**
	 * Evaluates a JavaScript expression in the page.
	 * @param expression the expression
	 * @return its value as text ({@code null} for undefined/null)
	 */
	@SuppressWarnings("unchecked")
	String evaluate(String expression) {
		Map<String, Object> result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
		Map<String, Object> value = (Map<String, Object>) result.get("result");
		Object v = (value != null) ? value.get("value") : null;
		return (v != null) ? v.toString() : null;
	}

	/** Saves a PNG of the page. */
	void screenshot(Path file) throws IOException {
		Map<String, Object> result = call("Page.captureScreenshot", Map.of("format", "png"));
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.write(file, Base64.getDecoder().decode((String) result.get("data")));
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> call(String method, Map<String, Object> params) {
		int id = this.ids.incrementAndGet();
		CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
		this.pending.put(id, answer);
		this.socket.sendText(json.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true);
		try {
			Map<String, Object> response = answer.get(15, TimeUnit.SECONDS);
			if (response.containsKey("error")) {
				throw new IllegalStateException(method + " failed: " + response.get("error"));
			}
			return (Map<String, Object>) response.get("result");
		}
		catch (Exception ex) {
			throw new IllegalStateException(method + " got no answer: " + ex, ex);
		}
		finally {
			this.pending.remove(id);
		}
	}

	/** Kills the browser and removes its profile. */
	@Override
	public void close() {
		this.socket.abort();
		kill(this.process);
		deleteTree(this.profile);
	}

	private static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void deleteTree(Path dir) {
		try (Stream<Path> paths = Files.walk(dir)) {
			List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
			for (Path path : all) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			logger.debug("Could not delete {}: {}", dir, ex.toString());
		}
	}

	/** Collects the frames of each message and completes the call it answers. */
	private final class Listener implements WebSocket.Listener {

		private final StringBuilder text = new StringBuilder();

		@Override
		@SuppressWarnings("unchecked")
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				Map<String, Object> message = json.readValue(this.text.toString(), Map.class);
				this.text.setLength(0);
				Object id = message.get("id");
				if (id instanceof Number number) {
					CompletableFuture<Map<String, Object>> answer = HeadlessChromium.this.pending.get(number.intValue());
					if (answer != null) {
						answer.complete(message);
					}
				}
			}
			webSocket.request(1);
			return null;
		}

	}

}
