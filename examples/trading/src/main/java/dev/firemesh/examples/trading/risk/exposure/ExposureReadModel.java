package dev.firemesh.examples.trading.risk.exposure;

import dev.firemesh.examples.trading.risk.domain.Exposure;
import dev.firemesh.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/** Reads {@code risk_exposure}, as the {@link ExposureProjection} has got it so far. */
public final class ExposureReadModel {
  private final Database store;

  public ExposureReadModel(Database store) {
    this.store = store;
  }

  /** Every account's exposure, by account and currency. */
  public List<Exposure> all() {
    return query("read all exposure", "", Optional.empty());
  }

  /** {@code account}'s exposure per currency; empty if it has none. */
  public List<Exposure> of(String account) {
    return query("read the exposure of " + account, "where account = ?", Optional.of(account));
  }

  private List<Exposure> query(String what, String where, Optional<String> account) {
    return store.transaction(
        what,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select account, currency, open_notional, filled_today, used_today from "
                      + ExposureProjection.TABLE
                      + " "
                      + where
                      + " order by account, currency")) {
            if (account.isPresent()) {
              s.setString(1, account.get());
            }
            try (ResultSet rs = s.executeQuery()) {
              List<Exposure> rows = new ArrayList<>();
              while (rs.next()) {
                rows.add(row(rs));
              }
              return rows;
            }
          }
        });
  }

  private static Exposure row(ResultSet rs) throws SQLException {
    return new Exposure(
        rs.getString(1),
        Currency.getInstance(rs.getString(2)),
        rs.getBigDecimal(3),
        rs.getBigDecimal(4),
        rs.getBigDecimal(5));
  }
}
