package dev.firemesh.store.ca;

import dev.firemesh.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
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
                                                   renewed_serial, issuer_fingerprint)
                  values (?, ?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, issued.serial());
            s.setString(2, issued.spiffeId());
            s.setTimestamp(3, Timestamp.from(issued.notAfter()));
            s.setString(4, issued.via().text());
            s.setString(5, issued.joinTokenId().orElse(null));
            s.setString(6, issued.renewedSerial().orElse(null));
            s.setString(7, issued.issuerFingerprint());
            s.executeUpdate();
          }
          return null;
        });
  }

  /**
   * SVIDs signed by {@code issuerFingerprint} that may still be presented: unexpired (by the
   * database's clock) and not renewed by a later SVID (a workload presents the newest one it got).
   *
   * @param count how many
   * @param lastNotAfter when the last of them expires; empty if there are none
   * @param identities up to five of their SPIFFE IDs, for the operator
   */
  public record Live(long count, Optional<Instant> lastNotAfter, List<String> identities) {}

  public Live liveIssuedBy(String issuerFingerprint) {
    return database.transaction(
        "count live SVIDs issued by " + issuerFingerprint,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  select count(*) over (), max(i.not_after) over (), i.spiffe_id
                  from issued_certificates i
                  where i.issuer_fingerprint = ? and i.not_after > now()
                    and not exists (select 1 from issued_certificates n
                                    where n.renewed_serial = i.serial)
                  order by i.spiffe_id
                  limit 5""")) {
            s.setString(1, issuerFingerprint);
            long count = 0;
            Instant last = null;
            List<String> identities = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                count = rs.getLong(1);
                last = rs.getTimestamp(2).toInstant();
                identities.add(rs.getString(3));
              }
            }
            return new Live(count, Optional.ofNullable(last), List.copyOf(identities));
          }
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
                  select serial, spiffe_id, not_after, via, join_token_id, renewed_serial,
                         coalesce(issuer_fingerprint, '')
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
                        Optional.ofNullable(rs.getString(6)),
                        rs.getString(7)));
              }
            }
            return issued;
          }
        });
  }
}
