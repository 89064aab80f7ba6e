package dev.firemesh.chassis.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Configuration values the service cannot bind to its record: every problem found, each with its
 * path. The message lists them all, one per line; it is what the chassis sends back in a NACK.
 */
public final class ConfigBindingException extends Exception {
  private final List<ConfigProblem> problems;

  public ConfigBindingException(List<ConfigProblem> problems) {
    super(
        problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")),
        null,
        false,
        false);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a binding failure has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
