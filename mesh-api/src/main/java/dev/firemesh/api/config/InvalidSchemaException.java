package dev.firemesh.api.config;

import dev.firemesh.api.validation.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A config schema's JSON form that is not a schema: every problem found, each naming the path in
 * the JSON ({@code root.fields.limits.fields.maxQuantity.min}) and what was expected.
 */
public final class InvalidSchemaException extends IllegalArgumentException {
  private final List<Problem> problems;

  public InvalidSchemaException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n", "", "")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid schema has at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
