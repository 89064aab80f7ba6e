package dev.firemesh.bench.harness;

import java.util.List;
import java.util.Locale;

/**
 * Latency-by-percentile curves as SVG, one panel per fixed rate, one line per scenario: the
 * percentile axis is logarithmic in {@code 1/(1-p)} (50%, 90%, 99%, 99.9%, ... evenly spaced) as in
 * HdrHistogram's plots, and so is the latency axis, so microseconds and a millisecond tail fit in
 * one picture.
 */
final class LatencyPlot {
  private static final int PANEL_WIDTH = 460;
  private static final int PANEL_HEIGHT = 320;
  private static final int LEFT = 70;
  private static final int TOP = 40;
  private static final int PLOT_WIDTH = 360;
  private static final int PLOT_HEIGHT = 220;
  private static final double MAX_NINES = 4; // 99.99%; the max sits half a decade beyond
  private static final String[] COLOURS = {
    "#222222", "#d62728", "#ff7f0e", "#1f77b4", "#17becf", "#2ca02c", "#98df8a", "#9467bd"
  };

  private LatencyPlot() {}

  static String render(BenchResults results) {
    List<String> loads =
        results.figures().stream()
            .map(ScenarioFigures::load)
            .filter(l -> !l.equals("saturation"))
            .distinct()
            .toList();
    List<String> scenarios =
        results.figures().stream().map(ScenarioFigures::scenario).distinct().toList();
    int width = Math.max(620, loads.size() * PANEL_WIDTH); // room for a legend row of four
    int legendHeight = 24 * ((scenarios.size() + 3) / 4);
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " font-family=\"sans-serif\" font-size=\"11\">%n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
            width,
            PANEL_HEIGHT + legendHeight));
    for (int i = 0; i < loads.size(); i++) {
      String load = loads.get(i);
      panel(
          svg,
          i * PANEL_WIDTH,
          load,
          results.figures().stream().filter(f -> f.load().equals(load)).toList(),
          scenarios);
    }
    for (int i = 0; i < scenarios.size(); i++) {
      int x = 20 + (i % 4) * 150;
      int y = PANEL_HEIGHT + 16 + (i / 4) * 24;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
                  + "<text x=\"%d\" y=\"%d\">%s</text>%n",
              x,
              y - 4,
              x + 24,
              y - 4,
              colour(scenarios, scenarios.get(i)),
              x + 30,
              y,
              scenarios.get(i)));
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void panel(
      StringBuilder svg,
      int x0,
      String load,
      List<ScenarioFigures> figures,
      List<String> scenarios) {
    double lo =
        figures.stream()
            .flatMap(f -> f.curve().stream())
            .mapToDouble(p -> Math.max(1, p.micros()))
            .min()
            .orElse(1);
    double hi =
        figures.stream()
            .flatMap(f -> f.curve().stream())
            .mapToDouble(p -> Math.max(1, p.micros()))
            .max()
            .orElse(10);
    double yMin = Math.floor(Math.log10(lo));
    double yMax = Math.max(yMin + 1, Math.ceil(Math.log10(hi)));
    int left = x0 + LEFT;
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" font-size=\"13\" font-weight=\"bold\">%s: latency by"
                + " percentile</text>%n",
            left,
            TOP - 16,
            load));
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
            left,
            TOP,
            PLOT_WIDTH,
            PLOT_HEIGHT));
    for (double decade = yMin; decade <= yMax; decade++) {
      int y = y(decade, yMin, yMax);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                  + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
              left,
              y,
              left + PLOT_WIDTH,
              y,
              left - 6,
              y + 4,
              Units.decade(Math.pow(10, decade))));
    }
    String[] labels = {"0%", "90%", "99%", "99.9%", "99.99%"};
    for (int nines = 0; nines <= MAX_NINES; nines++) {
      int x = left + x(nines);
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                  + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
              x,
              TOP,
              x,
              TOP + PLOT_HEIGHT,
              x,
              TOP + PLOT_HEIGHT + 16,
              labels[nines]));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">max</text>%n",
            left + x(MAX_NINES + 0.5),
            TOP + PLOT_HEIGHT + 16));
    for (ScenarioFigures f : figures) {
      StringBuilder points = new StringBuilder();
      for (ScenarioFigures.CurvePoint p : f.curve()) {
        double nines =
            p.percentile() >= 100
                ? MAX_NINES + 0.5
                : Math.min(MAX_NINES, Math.log10(1 / (1 - p.percentile() / 100)));
        points.append(
            String.format(
                Locale.ROOT,
                "%d,%d ",
                left + x(nines),
                y(Math.log10(Math.max(1, p.micros())), yMin, yMax)));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"><title>%s"
                  + "</title></polyline>%n",
              colour(scenarios, f.scenario()),
              points.toString().strip(),
              f.scenario()));
    }
  }

  private static int x(double nines) {
    return (int) Math.round(nines / (MAX_NINES + 0.5) * PLOT_WIDTH);
  }

  private static int y(double log, double yMin, double yMax) {
    return TOP + PLOT_HEIGHT - (int) Math.round((log - yMin) / (yMax - yMin) * PLOT_HEIGHT);
  }

  private static String colour(List<String> scenarios, String scenario) {
    return COLOURS[Math.max(0, scenarios.indexOf(scenario)) % COLOURS.length];
  }
}
