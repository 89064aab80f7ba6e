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

  /** The CA's state in one read: the version, every certificate, the rotation under way. */
  public CaSnapshot snapshot() {
    return database.transaction(
        "read the CA", c -> new CaSnapshot(version(c), all(c), rotation(c)));
  }

  /** Bumped by every rotation step: one cheap read tells a replica whether to reload. */
  public long version() {
    return database.transaction("read the CA version", CaCertificates::version);
  }

  /**
   * Stores the new certificates of a rotation (state {@code trusted}: they join the trust bundle
   * but do not sign) and the rotation itself.
   *
   * @param expectedVersion the version the step was decided on
   * @throws ConcurrentCaChange if another step ran since
   */
  public void prepare(List<CaCertificate> created, CaRotation rotation, long expectedVersion) {
    step(
        "prepare a CA rotation",
        expectedVersion,
        c -> {
          for (CaCertificate certificate :
              created.stream().sorted((a, b) -> a.role().compareTo(b.role())).toList()) {
            insert(c, certificate);
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into ca_rotation (stage, old_intermediate, new_intermediate, old_root,
                                           new_root, prepared_at, prepared_by)
                  values ('prepared', ?, ?, ?, ?, now(), ?)""")) {
            s.setString(1, rotation.oldIntermediate());
            s.setString(2, rotation.newIntermediate());
            s.setString(3, rotation.oldRoot().orElse(null));
            s.setString(4, rotation.newRoot().orElse(null));
            s.setString(5, rotation.preparedBy());
            s.executeUpdate();
          }
        });
  }

  /**
   * The new intermediate (and root) become active, the old ones trusted: from now on the new
   * intermediate signs.
   */
  public void activate(CaRotation rotation, long expectedVersion) {
    step(
        "activate a CA rotation",
        expectedVersion,
        c -> {
          // The old one first: at most one intermediate may be active.
          setState(c, rotation.oldIntermediate(), CaCertificate.State.TRUSTED);
          setState(c, rotation.newIntermediate(), CaCertificate.State.ACTIVE);
          if (rotation.rootRotated()) {
            setState(c, rotation.oldRoot().orElseThrow(), CaCertificate.State.TRUSTED);
            setState(c, rotation.newRoot().orElseThrow(), CaCertificate.State.ACTIVE);
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "update ca_rotation set stage = 'activated', activated_at = now() where id = 1")) {
            s.executeUpdate();
          }
        });
  }

  /** The old intermediate (and root) are retired, out of the trust bundle; the rotation ends. */
  public void finish(CaRotation rotation, long expectedVersion) {
    step(
        "finish a CA rotation",
        expectedVersion,
        c -> {
          setState(c, rotation.oldIntermediate(), CaCertificate.State.RETIRED);
          if (rotation.rootRotated()) {
            setState(c, rotation.oldRoot().orElseThrow(), CaCertificate.State.RETIRED);
          }
          try (PreparedStatement s = c.prepareStatement("delete from ca_rotation")) {
            s.executeUpdate();
          }
        });
  }

  private interface Step {
    void run(Connection c) throws SQLException;
  }

  /** One rotation step: under the CA lock, only if nothing changed since it was decided. */
  private void step(String what, long expectedVersion, Step step) {
    database.transaction(
        what,
        c -> {
          try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
            s.setLong(1, ESTABLISH_LOCK);
            s.execute();
          }
          long found = version(c);
          if (found != expectedVersion) {
            throw new ConcurrentCaChange(expectedVersion, found);
          }
          step.run(c);
          try (PreparedStatement s =
              c.prepareStatement("update ca_settings set ca_version = ca_version + 1")) {
            s.executeUpdate();
          }
          return null;
        });
  }

  private static void setState(Connection c, String fingerprint, CaCertificate.State state)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("update ca_certificates set state = ? where fingerprint = ?")) {
      s.setString(1, state.column());
      s.setString(2, fingerprint);
      if (s.executeUpdate() != 1) {
        throw new IllegalStateException("no CA certificate " + fingerprint);
      }
    }
  }

  private static long version(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select ca_version from ca_settings");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static Optional<CaRotation> rotation(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement(
                """
                select stage, old_intermediate, new_intermediate, old_root, new_root, prepared_at,
                       activated_at, prepared_by
                from ca_rotation""");
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      Timestamp activated = rs.getTimestamp(7);
      return Optional.of(
          new CaRotation(
              CaRotation.Stage.valueOf(rs.getString(1).toUpperCase(Locale.ROOT)),
              rs.getString(2),
              rs.getString(3),
              Optional.ofNullable(rs.getString(4)),
              Optional.ofNullable(rs.getString(5)),
              rs.getTimestamp(6).toInstant(),
              Optional.ofNullable(activated).map(Timestamp::toInstant),
              rs.getString(8)));
    }
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
