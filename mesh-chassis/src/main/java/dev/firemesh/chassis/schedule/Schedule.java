package dev.firemesh.chassis.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/** When a task fires: the firing times a {@link Task} declares. */
sealed interface Schedule {
  /** The first firing of a task that has never been scheduled, created at {@code now}. */
  Optional<Instant> first(Instant now);

  /**
   * The firing after {@code firing}, whose run finished (or was skipped) at {@code finished}; empty
   * when there is none.
   */
  Optional<Instant> following(Instant firing, Instant finished);

  /** Whether firings after {@code firing} follow from it alone, so missed ones can be counted. */
  default boolean catchesUp() {
    return true;
  }

  /** The task's spec as listed: {@code 0 17 * * * Europe/London, business days (london)}. */
  String describe();

  record Cron(CronExpression expression, ZoneId zone, Optional<TradingCalendar> calendar)
      implements Schedule {
    // A cron firing on a business day comes within a few weeks even in a long holiday; a
    // calendar closed for good must not hang the scheduler.
    private static final int MAX_SKIPPED = 10_000;

    @Override
    public Optional<Instant> first(Instant now) {
      return following(now, now);
    }

    @Override
    public Optional<Instant> following(Instant firing, Instant finished) {
      Instant t = firing;
      for (int i = 0; i < MAX_SKIPPED; i++) {
        t = expression.next(t.atZone(zone)).toInstant();
        if (calendar.isEmpty() || businessDay(calendar.get(), t)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }

    private static boolean businessDay(TradingCalendar calendar, Instant t) {
      LocalDate date = t.atZone(calendar.zone()).toLocalDate();
      return calendar.isBusinessDay(date);
    }

    @Override
    public String describe() {
      return expression
          + " "
          + zone
          + calendar.map(c -> ", business days (" + c.name() + ")").orElse("");
    }
  }

  record FixedRate(Duration period) implements Schedule {
    @Override
    public Optional<Instant> first(Instant now) {
      return Optional.of(now);
    }

    @Override
    public Optional<Instant> following(Instant firing, Instant finished) {
      return Optional.of(firing.plus(period));
    }

    @Override
    public String describe() {
      return "every " + Task.display(period);
    }
  }

  record FixedDelay(Duration delay) implements Schedule {
    @Override
    public Optional<Instant> first(Instant now) {
      return Optional.of(now);
    }

    @Override
    public Optional<Instant> following(Instant firing, Instant finished) {
      return Optional.of(finished.plus(delay));
    }

    @Override
    public boolean catchesUp() {
      return false;
    }

    @Override
    public String describe() {
      return Task.display(delay) + " after each run";
    }
  }

  record Once(Instant at) implements Schedule {
    @Override
    public Optional<Instant> first(Instant now) {
      return Optional.of(at);
    }

    @Override
    public Optional<Instant> following(Instant firing, Instant finished) {
      return Optional.empty();
    }

    @Override
    public boolean catchesUp() {
      return false;
    }

    @Override
    public String describe() {
      return "once at " + at;
    }
  }
}
