package dev.firemesh.examples.trading.risk.exposure;

import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.NewEvent;
import dev.firemesh.chassis.events.WrongExpectedVersionException;
import dev.firemesh.chassis.schedule.Task;
import dev.firemesh.chassis.schedule.TradingCalendar;
import dev.firemesh.examples.trading.risk.domain.DailyLimits;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.DailyLimitsReset;
import dev.firemesh.examples.trading.risk.domain.RiskConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code end-of-day} task: at each firing, in the firing's fenced transaction, it appends a
 * {@link DailyLimitsReset} for the firing's date in London as the first and only event of stream
 * {@code day-<date>}; the {@link ExposureProjection} then zeroes the daily figures. The scheduler
 * runs a firing on one instance, the fence keeps a deposed owner from writing, and the stream's
 * expected version 0 makes a date end once whatever else happens (a firing run again, a second task
 * declared with another name by mistake).
 */
public final class EndOfDay {
  private static final Logger log = LoggerFactory.getLogger("risk");

  /** The task's name, shared by risk's instances. */
  public static final String TASK = "end-of-day";

  /** Who the reset is recorded as done by. */
  static final String ACTOR = "risk/" + TASK;

  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(30);

  private final EventStore events;
  private final ZoneId zone = DailyLimits.LONDON_CLOSE.zone();

  public EndOfDay(EventStore events) {
    this.events = events;
  }

  /** The task, firing as {@code config} says ({@link RiskConfig#endOfDayCron}). */
  public Task task(RiskConfig config) {
    // A reset that fails (the store away) is tried again twice, 30 s apart, by whichever risk
    // instance holds the task then.
    Task.Builder task = Task.cron(TASK, config.endOfDayCron(), zone).retry(3, RETRY_BACKOFF);
    if (config.endOfDayBusinessDaysOnly()) {
      task.businessDays(TradingCalendar.london());
    }
    return task.run(
        context -> {
          LocalDate date = context.firing().atZone(zone).toLocalDate();
          boolean ended = context.fenced(c -> end(c, date));
          log.info(
              "end of day {}: {} (firing {}, lease token {})",
              date,
              ended ? "daily figures reset" : "had ended already",
              context.firing(),
              context.token());
        });
  }

  /**
   * Ends {@code date} on {@code connection}'s transaction: true if this appended its reset, false
   * if the date had ended already (nothing written, the transaction still usable).
   */
  public boolean end(Connection connection, LocalDate date) throws SQLException {
    try {
      events.append(
          connection,
          DailyLimitsReset.streamId(date),
          0,
          List.of(NewEvent.of(new DailyLimitsReset(date), ACTOR)));
      return true;
    } catch (WrongExpectedVersionException e) {
      return false;
    }
  }
}
