package dev.firemesh.api.validation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Collects the problems of one input, keeping the first {@link #LIMIT}: past that a user learns
 * nothing more and a hostile input would only cost memory.
 */
public final class Problems {

  public static final int LIMIT = 50;

  private final List<Problem> kept = new ArrayList<>();
  private int omitted;

  public void add(Problem problem) {
    if (kept.size() < LIMIT) {
      kept.add(problem);
    } else {
      omitted++;
    }
  }

  public void add(SourcePosition position, String field, String message) {
    add(new Problem(position, field, message));
  }

  public boolean isEmpty() {
    return kept.isEmpty();
  }

  /** True once {@link #LIMIT} problems are kept; callers may stop looking. */
  public boolean isFull() {
    return kept.size() >= LIMIT;
  }

  /** The problems kept so far, in the order they were added. */
  public List<Problem> list() {
    return List.copyOf(kept);
  }

  public int omitted() {
    return omitted;
  }

  /** Throws if anything was found, listing the problems in the order of the input. */
  public void throwIfAny() {
    if (!kept.isEmpty()) {
      List<Problem> sorted = new ArrayList<>(kept);
      sorted.sort(Comparator.comparing(Problem::position));
      throw new InvalidResourceException(sorted, omitted);
    }
  }
}
