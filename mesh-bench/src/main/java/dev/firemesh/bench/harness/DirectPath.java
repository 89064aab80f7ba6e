package dev.firemesh.bench.harness;

import java.util.List;
import java.util.Optional;

/** The baseline: the generator calls the echo upstream with nothing in between. */
record DirectPath() implements Scenario {
  @Override
  public String name() {
    return "direct";
  }

  @Override
  public Optional<String> unavailable(ScenarioContext context) {
    return Optional.empty();
  }

  @Override
  public RunningPath start(ScenarioContext context) {
    return new RunningPath(this, context.upstream(), "echo", List.of());
  }
}
