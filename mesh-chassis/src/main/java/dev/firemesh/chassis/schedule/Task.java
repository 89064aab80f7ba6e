package dev.firemesh.chassis.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A task declared in code, run once per firing across every instance of a service by a {@link
 * Scheduler}:
 *
 * <pre>{@code
 * Task.cron("reset-daily-limits", "0 17 * * *", ZoneId.of("Europe/London"))
 *     .businessDays(TradingCalendar.london())
 *     .misfire(MisfirePolicy.RUN_ONCE)
 *     .run(context -> context.fenced(tx -> limits.reset(tx)));
 * }</pre>
 *
 * <p>The name identifies the task in the store: instances declaring the same name share it.
 */
public final class Task {
  private final String name;
  private final TaskKind kind;
  private final Schedule schedule;
  private final MisfirePolicy misfire;
  private final int maxAttempts;
  private final Duration retryBackoff;
  private final TaskBody body;

  private Task(Builder builder, TaskBody body) {
    this.name = builder.name;
    this.kind = builder.kind;
    this.schedule =
        builder.schedule instanceof Schedule.Cron cron
            ? new Schedule.Cron(
                cron.expression(), cron.zone(), Optional.ofNullable(builder.calendar))
            : builder.schedule;
    this.misfire = builder.misfire;
    this.maxAttempts = builder.maxAttempts;
    this.retryBackoff = builder.retryBackoff;
    this.body = body;
  }

  /**
   * Fires at the times of a five-field cron {@code expression} in {@code zone}.
   *
   * @throws InvalidCronExpressionException when the expression is malformed
   */
  public static Builder cron(String name, String expression, ZoneId zone) {
    return new Builder(
        name,
        TaskKind.CRON,
        new Schedule.Cron(CronExpression.parse(expression), zone, Optional.empty()));
  }

  /** Fires every {@code period}, from when the task is first scheduled. */
  public static Builder fixedRate(String name, Duration period) {
    return new Builder(
        name, TaskKind.FIXED_RATE, new Schedule.FixedRate(positive("a task's period", period)));
  }

  /** Fires when first scheduled, then {@code delay} after each run finishes. */
  public static Builder fixedDelay(String name, Duration delay) {
    return new Builder(
        name, TaskKind.FIXED_DELAY, new Schedule.FixedDelay(positive("a task's delay", delay)));
  }

  /** Fires once, at {@code at}. */
  public static Builder once(String name, Instant at) {
    return new Builder(name, TaskKind.ONCE, new Schedule.Once(at));
  }

  private static Duration positive(String what, Duration d) {
    if (d.compareTo(Duration.ofMillis(1)) < 0) {
      throw new IllegalArgumentException(what + " must be at least 1 ms, not " + d);
    }
    return d;
  }

  public String name() {
    return name;
  }

  public TaskKind kind() {
    return kind;
  }

  /** The schedule as listed: {@code 0 17 * * * Europe/London, business days (london)}. */
  public String spec() {
    return schedule.describe();
  }

  public MisfirePolicy misfire() {
    return misfire;
  }

  /** Attempts at one firing, the first included: 1 unless {@link Builder#retry} said more. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** How long after a failed attempt the next one is made. */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  Schedule schedule() {
    return schedule;
  }

  TaskBody body() {
    return body;
  }

  @Override
  public String toString() {
    return name + " (" + kind.label() + ": " + spec() + ")";
  }

  static String display(Duration d) {
    return d.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  /** A task being declared; {@link #run} ends it. */
  public static final class Builder {
    private final String name;
    private final TaskKind kind;
    private final Schedule schedule;
    private TradingCalendar calendar;
    private MisfirePolicy misfire = MisfirePolicy.RUN_ONCE;
    private int maxAttempts = 1;
    private Duration retryBackoff = Duration.ZERO;

    private Builder(String name, TaskKind kind, Schedule schedule) {
      if (name.isBlank() || name.length() > 200) {
        throw new IllegalArgumentException(
            "a task name must be 1-200 characters: \"" + name + "\"");
      }
      this.name = name;
      this.kind = kind;
      this.schedule = schedule;
    }

    /**
     * Skips cron firings that fall on a day (in the calendar's zone) that is not a business day.
     *
     * @throws IllegalStateException for a task that is not a cron task
     */
    public Builder businessDays(TradingCalendar calendar) {
      if (kind != TaskKind.CRON) {
        throw new IllegalStateException(
            "business days apply to cron tasks; " + name + " is " + kind.label());
      }
      this.calendar = Objects.requireNonNull(calendar);
      return this;
    }

    /**
     * What to do about firings missed while no instance ran; {@link MisfirePolicy#RUN_ONCE} by
     * default.
     */
    public Builder misfire(MisfirePolicy policy) {
      this.misfire = Objects.requireNonNull(policy);
      return this;
    }

    /**
     * Tries a failed firing again, up to {@code maxAttempts} attempts in all, {@code backoff} after
     * each failure, by whichever instance holds the lease then. A retry never holds the next firing
     * back: none is made when the next firing would come first. A failure after the attempt's
     * {@link TaskContext#fenced fenced write} committed is not retried (its work is done). Without
     * this, a failed firing is recorded and the task moves on to the next.
     *
     * @throws IllegalArgumentException when {@code maxAttempts} is below 1 or {@code backoff} is
     *     under 1 ms
     */
    public Builder retry(int maxAttempts, Duration backoff) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(
            "a task makes at least 1 attempt per firing, not " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      this.retryBackoff = positive("a retry's backoff", backoff);
      return this;
    }

    /** The task, doing {@code body} at each firing. */
    public Task run(TaskBody body) {
      return new Task(this, Objects.requireNonNull(body));
    }
  }
}
