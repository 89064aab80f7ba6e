package dev.firemesh.store.ca;

import dev.firemesh.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The ledger of issued SVIDs: who got which certificate, when, and on what grounds. */
public final class IssuedCertificates {
  private final Database database;

  public IssuedCertificates(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  public void record(IssuedCertificate issued) {
    database.transaction(
        "record issued certificate " + issued.serial(),
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into issued_certificates (serial, spiffe_id, not_after, via, join_token_id,
                                                   renewed_serial)
                  values (?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, issued.serial());
            s.setString(2, issued.spiffeId());
            s.setTimestamp(3, Timestamp.from(issued.notAfter()));
            s.setString(4, issued.via().text());
            s.setString(5, issued.joinTokenId().orElse(null));
            s.setString(6, issued.renewedSerial().orElse(null));
            s.executeUpdate();
          }
          return null;
        });
  }

  /** The certificates issued to {@code spiffeId}, oldest first. */
  public List<IssuedCertificate> issuedTo(String spiffeId) {
    return database.transaction(
        "read certificates issued to " + spiffeId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  select serial, spiffe_id, not_after, via, join_token_id, renewed_serial
                  from issued_certificates where spiffe_id = ? order by issued_at, serial""")) {
            s.setString(1, spiffeId);
            List<IssuedCertificate> issued = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                issued.add(
                    new IssuedCertificate(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getTimestamp(3).toInstant(),
                        IssuedCertificate.Via.of(rs.getString(4)),
                        Optional.ofNullable(rs.getString(5)),
                        Optional.ofNullable(rs.getString(6))));
              }
            }
            return issued;
          }
        });
  }
}
