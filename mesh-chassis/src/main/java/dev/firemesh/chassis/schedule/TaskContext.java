package dev.firemesh.chassis.schedule;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One firing of a task, as its body sees it: which firing, under which lease, and the one way to
 * make its writes exactly once.
 */
public final class TaskContext {
  private final TaskTable table;
  private final InstantSource clock;
  private final String task;
  private final Instant firing;
  private final int attempt;
  private final long token;
  private final Instant started;
  private final AtomicBoolean fenced = new AtomicBoolean();
  private volatile boolean written;

  TaskContext(
      TaskTable table,
      InstantSource clock,
      String task,
      Instant firing,
      int attempt,
      long token,
      Instant started) {
    this.table = table;
    this.clock = clock;
    this.task = task;
    this.firing = firing;
    this.attempt = attempt;
    this.token = token;
    this.started = started;
  }

  public String task() {
    return task;
  }

  /** The firing being run: its scheduled time, not when it started. */
  public Instant firing() {
    return firing;
  }

  /** Which attempt at the firing this is: 1, or more when it is retried after failing. */
  public int attempt() {
    return attempt;
  }

  /** The fencing token of the lease this firing runs under. */
  public long token() {
    return token;
  }

  /**
   * Runs {@code work} in one transaction that first locks the task's row and checks the lease is
   * still this firing's, and last records the firing done: either all of it commits, or nothing.
   * Another instance that took the task over meanwhile (this one was paused or cut off) has a newer
   * token; then nothing is written and {@link LeaseLostException} is thrown. Called at most once
   * per attempt; once it has committed, a failure later in the body is not retried. The transaction
   * must not sit idle longer than a lease: the server ends it, so that a paused process cannot hold
   * a takeover back.
   *
   * @throws LeaseLostException when the lease was lost; nothing written
   * @throws IllegalStateException when called a second time for the firing
   * @throws dev.firemesh.store.StoreException when the store fails or {@code work} throws an {@link
   *     java.sql.SQLException}
   */
  public <T> T fenced(FencedWork<T> work) {
    if (fenced.getAndSet(true)) {
      throw new IllegalStateException(
          "task " + task + " already made its fenced write for firing " + firing);
    }
    T result = table.fenced(task, token, firing, attempt, started, clock.instant(), work);
    written = true;
    return result;
  }

  /** Whether the fenced write committed: the firing's work is done, whatever the body does next. */
  boolean written() {
    return written;
  }
}
