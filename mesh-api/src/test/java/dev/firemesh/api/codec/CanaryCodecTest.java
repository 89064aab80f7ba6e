package dev.firemesh.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.firemesh.api.resource.Canary;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.Problem;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Canary kind as users write it: defaults, canonical form and each refusal's position. */
class CanaryCodecTest {

  private static final String CANARY =
      """
      apiVersion: firemesh.dev/v1
      kind: Canary
      metadata: {name: orders-v2}
      spec:
        service: orders
        route: orders
        rule: canary-split
        stable: v1
        canary: v2
        steps: [5, 25, 50, 100]
        stepInterval: 30s
        analysis:
          minRequests: 50
          maxErrorRate: 1.0
          maxErrorRateIncrease: 0.5
          maxP99Ratio: 2
      """;

  @Test
  void readsEveryFieldAndLeavesDefaultsOutWhenWritten() {
    Canary canary = (Canary) ResourceCodec.parse("canary.yaml", CANARY).getFirst().resource();

    assertThat(canary.spec().steps()).containsExactly(5, 25, 50, 100);
    assertThat(canary.spec().stepInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(canary.spec().analysis()).isEqualTo(new Canary.Analysis(50, 3, 1.0, 0.5, 2.0));
    assertThat(ResourceCodec.toYaml(canary))
        .contains("stepInterval: 30s")
        .contains("maxP99Ratio: 2.0")
        .doesNotContain("minRequests")
        .doesNotContain("maxErrorRate:");
    assertThat(ResourceCodec.fromJson(ResourceCodec.toJson(canary))).isEqualTo(canary);
  }

  @Test
  void aCanaryWithoutAnalysisGetsTheDefaults() {
    String yaml = CANARY.substring(0, CANARY.indexOf("  stepInterval"));

    Canary canary = (Canary) ResourceCodec.parse("canary.yaml", yaml).getFirst().resource();

    assertThat(canary.spec().analysis()).isEqualTo(Canary.Analysis.DEFAULT);
    assertThat(canary.spec().stepInterval()).isEqualTo(Canary.Spec.DEFAULT_STEP_INTERVAL);
  }

  @Test
  void refusesStepsThatDoNotIncreaseAndWeightsAboveAHundred() {
    assertThat(problems(CANARY.replace("[5, 25, 50, 100]", "[5, 50, 25, 100]")))
        .containsExactly(
            "canary.yaml:10:18: spec.steps[2]: steps must increase: 25 does not come after 50");
    assertThat(problems(CANARY.replace("[5, 25, 50, 100]", "[5, 150]")))
        .containsExactly(
            "canary.yaml:10:14: spec.steps[1]: expected a whole number from 1 to 100, got 150");
    assertThat(problems(CANARY.replace("[5, 25, 50, 100]", "[]")))
        .containsExactly(
            "canary.yaml:10:10: spec.steps: expected at least one entry, got an empty list");
  }

  @Test
  void refusesTheSameSubsetTwiceATooShortIntervalAndARatioBelowOne() {
    String yaml =
        CANARY
            .replace("canary: v2", "canary: v1")
            .replace("stepInterval: 30s", "stepInterval: 200ms")
            .replace("maxP99Ratio: 2", "maxP99Ratio: 0.5")
            .replace("maxErrorRate: 1.0", "maxErrorRate: 120");

    assertThat(problems(yaml))
        .containsExactly(
            "canary.yaml:9:11: spec.canary: the canary subset must differ from the stable one"
                + " (both are \"v1\")",
            "canary.yaml:11:17: spec.stepInterval: expected at least 1s, got 200ms",
            "canary.yaml:14:19: spec.analysis.maxErrorRate: expected a percentage from 0 to 100,"
                + " got 120",
            "canary.yaml:16:18: spec.analysis.maxP99Ratio: expected a number from 1.0 to 1000.0,"
                + " got 0.5");
  }

  @Test
  void namesMissingFieldsAndSuggestsMisspeltOnes() {
    String yaml =
        CANARY.replace("  rule: canary-split\n", "").replace("stepInterval", "stepInterval2");

    assertThat(problems(yaml))
        .containsExactly(
            "canary.yaml:5:3: spec.rule: missing required field",
            "canary.yaml:10:3: spec.stepInterval2: unknown field (did you mean \"stepInterval\"?)");
  }

  private static List<String> problems(String yaml) {
    InvalidResourceException e =
        catchThrowableOfType(
            InvalidResourceException.class, () -> ResourceCodec.parse("canary.yaml", yaml));
    assertThat(e).as("refused:\n" + yaml).isNotNull();
    return e.problems().stream().map(Problem::toString).toList();
  }
}
