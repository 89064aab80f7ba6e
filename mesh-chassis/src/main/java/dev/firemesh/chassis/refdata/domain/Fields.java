package dev.firemesh.chassis.refdata.domain;

import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import java.math.BigDecimal;

/** The checks the records' constructors share, each failing with the field it was given. */
final class Fields {
  private Fields() {}

  static <T> T present(T value, String field) {
    if (value == null) {
      throw new InvalidReferenceDataException(field, "missing");
    }
    return value;
  }

  static String text(String value, String field) {
    if (present(value, field).isBlank()) {
      throw new InvalidReferenceDataException(field, "must not be blank");
    }
    return value;
  }

  /**
   * {@code value} without trailing zeros, so that records compare by amount ({@code 0.010} equals
   * {@code 0.01}) and survive a JSON round trip whatever the parser does with the scale; never in
   * exponent form for whole numbers ({@code 100}, not {@code 1E+2}).
   */
  static BigDecimal amount(BigDecimal value, String field) {
    BigDecimal stripped = present(value, field).stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  static BigDecimal positive(BigDecimal value, String field) {
    BigDecimal amount = amount(value, field);
    if (amount.signum() <= 0) {
      throw new InvalidReferenceDataException(
          field, "must be greater than 0, got " + amount.toPlainString());
    }
    return amount;
  }

  static BigDecimal nonNegative(BigDecimal value, String field) {
    BigDecimal amount = amount(value, field);
    if (amount.signum() < 0) {
      throw new InvalidReferenceDataException(
          field, "must be 0 or more, got " + amount.toPlainString());
    }
    return amount;
  }
}
