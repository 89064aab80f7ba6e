package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Canary;
import dev.firemesh.api.resource.Canary.Analysis;
import dev.firemesh.api.resource.Metadata;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code Canary}: {@code service}, {@code route}, {@code rule}, {@code stable} and {@code canary}
 * (subsets, different), {@code steps} (1 to {@value #MAX_STEPS} weights in percent, strictly
 * increasing), optional {@code stepInterval} (at least 1s, default 1m) and {@code analysis}, whose
 * fields all have defaults ({@link Analysis#DEFAULT}).
 */
final class CanaryCodec implements KindCodec<Canary> {

  static final int MAX_STEPS = 20;
  static final int MAX_MIN_REQUESTS = 1_000_000;
  static final int MAX_WAIT_INTERVALS = 100;
  static final double MAX_P99_RATIO = 1000;
  private static final Duration MIN_STEP_INTERVAL = Duration.ofSeconds(1);

  @Override
  public Canary read(Metadata metadata, Fields spec) {
    String service = spec.required("service", Values.string(StringRule.NAME), "");
    String route = spec.required("route", Values.string(StringRule.NAME), "");
    String rule = spec.required("rule", Values.string(StringRule.NAME), "");
    String stable = spec.required("stable", Values.string(StringRule.NAME), "");
    Optional<String> canary = spec.required("canary", Values.string(StringRule.NAME));
    if (canary.isPresent() && canary.get().equals(stable)) {
      spec.context()
          .problemAt(
              spec.pathOf("canary"),
              "the canary subset must differ from the stable one (both are \"" + stable + "\")");
    }
    List<Integer> steps = spec.nonEmptyList("steps", Values.integer(1, 100));
    checkSteps(spec, steps);
    Duration interval =
        spec.optional(
            "stepInterval", Values.duration(Duration.ZERO), Canary.Spec.DEFAULT_STEP_INTERVAL);
    if (interval.compareTo(MIN_STEP_INTERVAL) < 0) {
      // Shorter steps would judge a window smaller than the sidecars' scrape and push delays.
      spec.context()
          .problemAt(
              spec.pathOf("stepInterval"),
              "expected at least 1s, got " + Durations.format(interval));
      interval = MIN_STEP_INTERVAL;
    }
    Analysis analysis =
        spec.optional("analysis", Values.object(CanaryCodec::analysis), Analysis.DEFAULT);
    return new Canary(
        metadata,
        new Canary.Spec(
            service, route, rule, stable, canary.orElse(""), steps, interval, analysis));
  }

  private static void checkSteps(Fields spec, List<Integer> steps) {
    if (steps.size() > MAX_STEPS) {
      spec.context()
          .problemAt(
              spec.pathOf("steps"),
              "expected at most " + MAX_STEPS + " steps, got " + steps.size());
    }
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i) <= steps.get(i - 1)) {
        spec.context()
            .problemAt(
                spec.pathOf("steps") + "[" + i + "]",
                "steps must increase: "
                    + steps.get(i)
                    + " does not come after "
                    + steps.get(i - 1));
        return;
      }
    }
  }

  private static Analysis analysis(Fields f) {
    Analysis d = Analysis.DEFAULT;
    return new Analysis(
        f.optional("minRequests", Values.integer(1, MAX_MIN_REQUESTS), d.minRequests()),
        f.optional("maxWaitIntervals", Values.integer(0, MAX_WAIT_INTERVALS), d.maxWaitIntervals()),
        f.optional("maxErrorRate", Values.percent(), d.maxErrorRate()),
        f.optional("maxErrorRateIncrease", Values.percent(), d.maxErrorRateIncrease()),
        f.optional("maxP99Ratio", Values.number(1, MAX_P99_RATIO), d.maxP99Ratio()));
  }

  @Override
  public ObjectNode writeSpec(Canary canary) {
    Canary.Spec s = canary.spec();
    ObjectNode spec =
        Trees.object()
            .put("service", s.service())
            .put("route", s.route())
            .put("rule", s.rule())
            .put("stable", s.stable())
            .put("canary", s.canary());
    s.steps().forEach(spec.putArray("steps")::add);
    if (!s.stepInterval().equals(Canary.Spec.DEFAULT_STEP_INTERVAL)) {
      spec.set("stepInterval", Trees.duration(s.stepInterval()));
    }
    Analysis a = s.analysis();
    Analysis d = Analysis.DEFAULT;
    ObjectNode analysis = Trees.object();
    if (a.minRequests() != d.minRequests()) {
      analysis.put("minRequests", a.minRequests());
    }
    if (a.maxWaitIntervals() != d.maxWaitIntervals()) {
      analysis.put("maxWaitIntervals", a.maxWaitIntervals());
    }
    if (a.maxErrorRate() != d.maxErrorRate()) {
      analysis.put("maxErrorRate", a.maxErrorRate());
    }
    if (a.maxErrorRateIncrease() != d.maxErrorRateIncrease()) {
      analysis.put("maxErrorRateIncrease", a.maxErrorRateIncrease());
    }
    if (a.maxP99Ratio() != d.maxP99Ratio()) {
      analysis.put("maxP99Ratio", a.maxP99Ratio());
    }
    Trees.putUnlessEmpty(spec, "analysis", analysis);
    return spec;
  }
}
