package dev.firemesh.chassis.schedule;

/**
 * A fenced write refused because this instance no longer holds the task's lease: another instance
 * claimed it (a newer fencing token) while this one was paused or cut off. Nothing was written.
 */
public final class LeaseLostException extends RuntimeException {
  private final String task;
  private final long token;
  private final long currentToken;

  LeaseLostException(String task, long token, long currentToken) {
    super(
        "lease of task "
            + task
            + " lost: this instance holds token "
            + token
            + ", the task is at token "
            + currentToken
            + "; nothing written");
    this.task = task;
    this.token = token;
    this.currentToken = currentToken;
  }

  public String task() {
    return task;
  }

  /** The token this instance held. */
  public long token() {
    return token;
  }

  /** The task's token now (0 when its row is gone). */
  public long currentToken() {
    return currentToken;
  }
}
