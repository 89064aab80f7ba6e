package dev.firemesh.chassis.cqrs;

import java.util.List;
import java.util.Objects;

/**
 * What an {@link Aggregate} decided for one command: events to append (possibly none: the command
 * changed nothing), or a rejection with a stable code the sender can branch on and a reason for
 * people. A rejection is a result, answered to the sender like an acceptance, never an exception.
 */
public sealed interface Decision<E> {

  /** Accepts the command with these events, appended atomically in this order. */
  static <E> Decision<E> accept(List<E> events) {
    return new Accept<>(events);
  }

  @SafeVarargs
  static <E> Decision<E> accept(E... events) {
    return new Accept<>(List.of(events));
  }

  /**
   * Rejects the command.
   *
   * @param code stable and machine-readable, e.g. {@code ORDER_NOT_OPEN}
   * @param reason for people, e.g. {@code order o-1 is already filled}
   */
  static <E> Decision<E> reject(String code, String reason) {
    return new Reject<>(code, reason);
  }

  /** Accepted, with the events to append. */
  record Accept<E>(List<E> events) implements Decision<E> {
    public Accept {
      events = List.copyOf(events);
    }
  }

  /** Rejected. */
  record Reject<E>(String code, String reason) implements Decision<E> {
    public Reject {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(reason, "reason");
      if (code.isBlank()) {
        throw new IllegalArgumentException("a rejection needs a code");
      }
    }
  }
}
