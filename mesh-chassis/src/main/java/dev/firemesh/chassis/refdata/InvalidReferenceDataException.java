package dev.firemesh.chassis.refdata;

/** A reference data record that breaks its standard, refused before anything is written. */
public class InvalidReferenceDataException extends RuntimeException {
  private final String field;

  /**
   * @param field the field at fault, as a path ({@code isin}, {@code hours.open}), empty when the
   *     record as a whole is
   */
  public InvalidReferenceDataException(String field, String message) {
    super(field.isEmpty() ? message : field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
