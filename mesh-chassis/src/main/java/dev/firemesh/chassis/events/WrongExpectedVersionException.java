package dev.firemesh.chassis.events;

/**
 * An append refused because its stream is not at the version the appender expected (another append
 * got there first); nothing of it was written. Reload the stream and decide again.
 */
public final class WrongExpectedVersionException extends RuntimeException {
  private final String streamId;
  private final long expected;
  private final long actual;

  public WrongExpectedVersionException(String streamId, long expected, long actual) {
    super(
        "stream "
            + streamId
            + " is at version "
            + actual
            + ", not the expected "
            + expected
            + "; nothing was appended");
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }

  public String streamId() {
    return streamId;
  }

  public long expected() {
    return expected;
  }

  /** The stream's version when the append was refused. */
  public long actual() {
    return actual;
  }
}
