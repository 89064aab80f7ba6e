package dev.firemesh.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Refuses input whole: every problem found (up to {@link Problems#LIMIT}), so a user can fix them
 * all in one go. {@link #getMessage()} lists them one per line in the human format.
 */
public final class InvalidResourceException extends RuntimeException {

  private final List<Problem> problems;
  private final int omitted;

  public InvalidResourceException(List<Problem> problems) {
    this(problems, 0);
  }

  /**
   * @param omitted how many further problems were found but not kept
   */
  public InvalidResourceException(List<Problem> problems, int omitted) {
    super(render(problems, omitted));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an invalid resource has at least one problem");
    }
    this.problems = List.copyOf(problems);
    this.omitted = omitted;
  }

  /** The problems, in the order of the input. */
  public List<Problem> problems() {
    return problems;
  }

  /** How many problems were found beyond those in {@link #problems()}. */
  public int omitted() {
    return omitted;
  }

  private static String render(List<Problem> problems, int omitted) {
    String lines = problems.stream().map(Problem::toString).collect(Collectors.joining("\n"));
    return omitted == 0 ? lines : lines + "\n... and " + omitted + " more problems";
  }
}
