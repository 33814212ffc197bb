package io.github.erlangspring.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * {@code results.png}: one bar chart per scenario, the throughput of each variant at each
 * concurrency relative to Erlang ↔ Erlang at the same concurrency (1.0 = as fast as Erlang),
 * or in calls/s where a scenario has no Erlang row.
 * <p>
 * {@code java -cp … io.github.erlangspring.bench.ResultChart results.json results.png} draws the
 * chart of a run again from its {@code results.json} (the same figures, for a chart drawn by a
 * newer version of this class).
 */
final class ResultChart {

	private static final int WIDTH = 640;

	private static final int HEIGHT = 380;

	/** One colour per variant in every panel, whichever variants a scenario has. */
	private static final Map<String, Color> COLORS = Map.of(Variants.ERLANG, new Color(68, 114, 196),
			Variants.JINTERFACE, new Color(237, 125, 49), Variants.ESB, new Color(112, 48, 160));

	/** One bar: the throughput of a variant at a concurrency. */
	record Bar(String variant, int concurrency, double callsPerSecond) {
	}

	private ResultChart() {
	}

	public static void main(String[] args) throws IOException {
		if (args.length != 2) {
			System.err.println("usage: ResultChart results.json results.png");
			System.exit(2);
		}
		DocumentContext json = JsonPath.parse(Files.readString(Path.of(args[0])));
		Map<String, List<Bar>> panels = new LinkedHashMap<>();
		List<Map<String, Object>> scenarios = json.read("$.scenarios[*]");
		for (Map<String, Object> scenario : scenarios) {
			List<Bar> bars = new ArrayList<>();
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> results = (List<Map<String, Object>>) scenario.get("results");
			for (Map<String, Object> result : results) {
				bars.add(new Bar((String) result.get("variant"), ((Number) result.get("concurrency")).intValue(),
						((Number) result.get("callsPerSecond")).doubleValue()));
			}
			panels.put((String) scenario.get("id"), bars);
		}
		draw(Path.of(args[1]), panels);
	}

	static void write(Path file, List<Report.Section> sections) throws IOException {
		Map<String, List<Bar>> panels = new LinkedHashMap<>();
		for (Report.Section section : sections) {
			List<Bar> bars = new ArrayList<>();
			for (Result result : section.results()) {
				bars.add(new Bar(result.variant(), result.concurrency(), result.stats().throughput()));
			}
			panels.put(section.scenario().id(), bars);
		}
		draw(file, panels);
	}

	private static void draw(Path file, Map<String, List<Bar>> panels) throws IOException {
		System.setProperty("java.awt.headless", "true");
		List<CategoryChart> charts = new ArrayList<>();
		panels.forEach((scenario, bars) -> {
			if (!bars.isEmpty()) {
				charts.add(chart(scenario, bars));
			}
		});
		if (charts.isEmpty()) {
			return;
		}
		int cols = Math.min(2, charts.size());
		int rows = (charts.size() + cols - 1) / cols;
		BufferedImage grid = new BufferedImage(cols * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = grid.createGraphics();
		graphics.setColor(Color.WHITE);
		graphics.fillRect(0, 0, grid.getWidth(), grid.getHeight());
		for (int i = 0; i < charts.size(); i++) {
			graphics.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * WIDTH, (i / cols) * HEIGHT, null);
		}
		graphics.dispose();
		ImageIO.write(grid, "png", file.toFile());
	}

	private static CategoryChart chart(String scenario, List<Bar> bars) {
		Map<Integer, Double> erlang = new LinkedHashMap<>();
		TreeSet<Integer> concurrencies = new TreeSet<>();
		Map<String, Map<Integer, Double>> byVariant = new LinkedHashMap<>();
		for (Bar bar : bars) {
			concurrencies.add(bar.concurrency());
			if (bar.variant().equals(Variants.ERLANG)) {
				erlang.put(bar.concurrency(), bar.callsPerSecond());
			}
			byVariant.computeIfAbsent(bar.variant(), (v) -> new LinkedHashMap<>())
				.put(bar.concurrency(), bar.callsPerSecond());
		}
		boolean relative = erlang.values().stream().allMatch((v) -> v > 0) && erlang.keySet().containsAll(concurrencies);
		CategoryChart chart = new CategoryChartBuilder().width(WIDTH)
			.height(HEIGHT)
			.title(scenario)
			.xAxisTitle("concurrency")
			.yAxisTitle(relative ? "throughput / Erlang↔Erlang" : "calls/s")
			.build();
		// below the plot, where it covers no bar
		chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
		chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
		chart.getStyler().setYAxisDecimalPattern(relative ? "0.0#" : "#,##0");
		chart.getStyler().setChartTitleFont(chart.getStyler().getChartTitleFont().deriveFont(13f));
		List<String> categories = concurrencies.stream().map(String::valueOf).toList();
		for (Map.Entry<String, Map<Integer, Double>> variant : byVariant.entrySet()) {
			List<Double> values = new ArrayList<>();
			for (int n : concurrencies) {
				double value = variant.getValue().getOrDefault(n, 0.0);
				values.add(relative ? value / erlang.get(n) : value);
			}
			Color color = COLORS.get(variant.getKey());
			if (color != null) {
				chart.addSeries(variant.getKey(), categories, values).setFillColor(color);
			}
			else {
				chart.addSeries(variant.getKey(), categories, values);
			}
		}
		return chart;
	}

}
