package dev.firemesh.chassis.refdata.owner;

/**
 * A command refused before anything was written: an unknown set, a record that breaks its standard,
 * a delete of a record that is not there.
 */
public class RefusedCommandException extends RuntimeException {
  private final int edit;
  private final String field;

  /**
   * @param edit the index of the edit at fault in the command
   * @param field the record's field at fault, empty when it is the edit as a whole
   */
  public RefusedCommandException(int edit, String field, String message) {
    super("edit " + edit + (field.isEmpty() ? "" : " field " + field) + ": " + message);
    this.edit = edit;
    this.field = field;
  }

  public int edit() {
    return edit;
  }

  public String field() {
    return field;
  }
}
