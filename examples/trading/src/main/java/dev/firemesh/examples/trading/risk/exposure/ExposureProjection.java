package dev.firemesh.examples.trading.risk.exposure;

import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.subscription.Projection;
import dev.firemesh.chassis.events.subscription.Subscription;
import dev.firemesh.examples.trading.risk.domain.Exposure;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.DailyLimitsReset;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.ExposureChanged;
import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Keeps {@code risk_exposure} (one row per account and currency) as the fold of risk's events: an
 * {@link ExposureChanged} is the upsert {@link Exposure}'s javadoc gives, a {@link
 * DailyLimitsReset} zeroes every row's daily figures. Applied in the checkpoint's transaction, so
 * each event counts once; {@code reset} empties the table, so a rebuild replays into a clean one.
 */
public final class ExposureProjection implements Projection {
  /** The subscription's name, which {@code firemesh} rebuilds by. */
  public static final String NAME = "exposure";

  /**
   * The read model's table; created by {@link #createTable}, as the chassis migrates only its own.
   */
  static final String TABLE = "risk_exposure";

  /**
   * The subscription, over one partition: a reset must meet the changes in the global order they
   * were recorded in, live and in a rebuild alike, and they are in different streams.
   */
  public static Subscription subscription() {
    return Subscription.projection(NAME, new ExposureProjection())
        .eventTypes(ExposureChanged.class, DailyLimitsReset.class)
        .partitions(1)
        .build();
  }

  /**
   * Creates the read model's table if it is not there. Instances starting together take an advisory
   * lock first: two concurrent {@code create table if not exists} can both try to create.
   */
  public static void createTable(Database store) {
    store.transaction(
        "create " + TABLE,
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_xact_lock(hashtext('" + TABLE + "'))");
            s.execute(
                """
                create table if not exists risk_exposure (
                  account text not null,
                  currency text not null,
                  open_notional numeric not null,
                  filled_today numeric not null,
                  used_today numeric not null,
                  primary key (account, currency))
                """);
          }
          return null;
        });
  }

  @Override
  public void handle(Connection tx, RecordedEvent event) throws SQLException {
    switch (event.payload(ExposureEvent.class)) {
      case ExposureChanged e -> {
        try (PreparedStatement s =
            tx.prepareStatement(
                """
                insert into risk_exposure
                  (account, currency, open_notional, filled_today, used_today)
                values (?, ?, ?, ?, ?)
                on conflict (account, currency) do update set
                  open_notional = risk_exposure.open_notional + excluded.open_notional,
                  filled_today = risk_exposure.filled_today + excluded.filled_today,
                  used_today = risk_exposure.used_today + excluded.used_today
                """)) {
          s.setString(1, e.account());
          s.setString(2, e.currency().getCurrencyCode());
          s.setBigDecimal(3, e.openNotional());
          s.setBigDecimal(4, e.filledToday());
          s.setBigDecimal(5, e.usedToday());
          s.executeUpdate();
        }
      }
      case DailyLimitsReset e -> {
        try (Statement s = tx.createStatement()) {
          s.executeUpdate("update risk_exposure set filled_today = 0, used_today = 0");
        }
      }
    }
  }

  @Override
  public void reset(Connection tx) throws SQLException {
    try (Statement s = tx.createStatement()) {
      s.executeUpdate("truncate risk_exposure");
    }
  }
}
