package dev.firemesh.store.ca;

import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * CA certificates and the trust domain, in PostgreSQL. Setting the CA up happens once per database
 * whatever the number of replicas starting at once: {@link #establish} runs under a transaction
 * advisory lock, so the second replica waits, then finds the first one's CA.
 */
public final class CaCertificates {
  // "fmcaboot": one key for CA set-up, the same in every replica.
  private static final long ESTABLISH_LOCK = 0x666D_6361_626F_6F74L;

  private static final String COLUMNS =
      """
      fingerprint, role, issuer_fingerprint, subject, serial, certificate_pem, private_key, kek_id,
      state, not_before, not_after""";

  private final Database database;

  public CaCertificates(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /**
   * The stored trust domain; {@code proposed} is stored if none is yet. Callers compare: a
   * different answer means this database belongs to another trust domain.
   */
  public String claimTrustDomain(String proposed) {
    return database.transaction(
        "claim the trust domain",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "insert into ca_settings (trust_domain) values (?) on conflict (id) do nothing")) {
            s.setString(1, proposed);
            s.executeUpdate();
          }
          try (PreparedStatement s =
                  c.prepareStatement("select trust_domain from ca_settings where id = 1");
              ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        });
  }

  /**
   * Every CA certificate after making sure there is an active intermediate: if there is none,
   * stores what {@code firstCertificates} makes (called at most once, under the lock, so it may
   * generate keys; what it returns must include one active intermediate).
   */
  public List<CaCertificate> establish(Supplier<List<CaCertificate>> firstCertificates) {
    return database.transaction(
        "set up the certificate authority",
        c -> {
          try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            s.setLong(1, ESTABLISH_LOCK);
            s.execute();
          }
          if (activeIntermediate(c).isEmpty()) {
            List<CaCertificate> created = firstCertificates.get();
            // Roots first: intermediates reference their issuer.
            for (CaCertificate certificate :
                created.stream().sorted((a, b) -> a.role().compareTo(b.role())).toList()) {
              insert(c, certificate);
            }
          }
          return all(c);
        });
  }

  /** Every CA certificate, roots first, then by notBefore. */
  public List<CaCertificate> all() {
    return database.transaction("read CA certificates", CaCertificates::all);
  }

  private static List<CaCertificate> all(Connection c) throws SQLException {
    return select(c, "order by role desc, not_before, fingerprint");
  }

  private static Optional<CaCertificate> activeIntermediate(Connection c) throws SQLException {
    return select(c, "where role = 'intermediate' and state = 'active'").stream().findFirst();
  }

  private static List<CaCertificate> select(Connection c, String clause) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select " + COLUMNS + " from ca_certificates " + clause)) {
      return read(s);
    }
  }

  private static void insert(Connection c, CaCertificate certificate) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into ca_certificates ("
                + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (fingerprint) do nothing")) {
      s.setString(1, certificate.fingerprint());
      s.setString(2, certificate.role().column());
      s.setString(3, certificate.issuerFingerprint().orElse(null));
      s.setString(4, certificate.subject());
      s.setString(5, certificate.serial());
      s.setString(6, certificate.certificatePem());
      switch (certificate.key()) {
        case StoredKey.Sealed sealed -> {
          s.setBytes(7, sealed.ciphertext());
          s.setString(8, sealed.kekId());
        }
        case StoredKey.None none -> {
          s.setBytes(7, null);
          s.setString(8, null);
        }
      }
      s.setString(9, certificate.state().column());
      s.setTimestamp(10, Timestamp.from(certificate.notBefore()));
      s.setTimestamp(11, Timestamp.from(certificate.notAfter()));
      s.executeUpdate();
    }
  }

  private static List<CaCertificate> read(PreparedStatement s) throws SQLException {
    List<CaCertificate> certificates = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        byte[] ciphertext = rs.getBytes(7);
        StoredKey key =
            ciphertext == null
                ? new StoredKey.None()
                : new StoredKey.Sealed(ciphertext, rs.getString(8));
        certificates.add(
            new CaCertificate(
                rs.getString(1),
                CaCertificate.Role.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                Optional.ofNullable(rs.getString(3)),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                key,
                CaCertificate.State.valueOf(rs.getString(9).toUpperCase(Locale.ROOT)),
                rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant()));
      }
    }
    return certificates;
  }
}
