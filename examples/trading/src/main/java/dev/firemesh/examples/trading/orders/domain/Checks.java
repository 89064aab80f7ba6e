package dev.firemesh.examples.trading.orders.domain;

import java.math.BigDecimal;
import java.util.Objects;

/** The field checks the order commands and events share. */
final class Checks {
  private Checks() {}

  static void text(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }

  static void positive(long value, String field) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }

  static void notNegative(long value, String field) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be 0 or more, got " + value);
    }
  }

  static void positive(BigDecimal value, String field) {
    Objects.requireNonNull(value, field);
    if (value.signum() <= 0) {
      throw new IllegalArgumentException(field + " must be positive, got " + value);
    }
  }
}
