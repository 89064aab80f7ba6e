package dev.firemesh.store.ca;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.store.Database;
import dev.firemesh.store.ca.JoinTokenLedger.Refusal;
import dev.firemesh.store.ca.JoinTokenLedger.Use;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens are used at most as often as allowed, refusals say why, and one CA is set up. */
class CaStoreTest {
  @TempDir static Path dataDir;
  static Database database;

  @BeforeAll
  static void startServer() {
    database = Database.embedded(dataDir);
  }

  @AfterAll
  static void stopServer() {
    database.close();
  }

  private static JoinToken token(JoinTokenLedger ledger, int uses) {
    return ledger.create(
        UUID.randomUUID().toString(),
        "ab".repeat(32),
        "orders",
        "prod",
        Duration.ofHours(1),
        uses,
        "test");
  }

  @Test
  void aTokenIsUsedUpAfterItsUses() {
    JoinTokenLedger ledger = new JoinTokenLedger(database);
    JoinToken token = token(ledger, 2);

    assertThat(ledger.use(token.id()))
        .isInstanceOfSatisfying(Use.Taken.class, t -> assertThat(t.token().uses()).isEqualTo(1));
    assertThat(ledger.use(token.id()))
        .isInstanceOfSatisfying(Use.Taken.class, t -> assertThat(t.token().uses()).isEqualTo(2));
    assertThat(ledger.use(token.id())).isEqualTo(new Use.Refused(Refusal.USED_UP));
    assertThat(ledger.find(token.id()).orElseThrow().uses()).isEqualTo(2);
  }

  @Test
  void refusalsSayWhy() throws Exception {
    JoinTokenLedger ledger = new JoinTokenLedger(database);
    assertThat(ledger.use("no-such-token")).isEqualTo(new Use.Refused(Refusal.UNKNOWN));

    JoinToken expired = token(ledger, 1);
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "update join_tokens set expires_at = now() - interval '1 second' where id = ?")) {
      s.setString(1, expired.id());
      s.executeUpdate();
    }
    assertThat(ledger.use(expired.id())).isEqualTo(new Use.Refused(Refusal.EXPIRED));

    JoinToken revoked = token(ledger, 1);
    assertThat(ledger.revoke(revoked.id()).orElseThrow().revokedAt()).isPresent();
    assertThat(ledger.use(revoked.id())).isEqualTo(new Use.Refused(Refusal.REVOKED));
    assertThat(ledger.revoke("no-such-token")).isEmpty();
  }

  @Test
  void expiryComesFromTheDatabaseClock() {
    JoinTokenLedger ledger = new JoinTokenLedger(database);
    JoinToken token = token(ledger, 1);

    assertThat(Duration.between(token.createdAt(), token.expiresAt()))
        .isEqualTo(Duration.ofHours(1));
    assertThat(ledger.all()).extracting(JoinToken::id).contains(token.id());
  }

  @Test
  void concurrentUsesNeverExceedTheBound() throws Exception {
    JoinTokenLedger ledger = new JoinTokenLedger(database);
    JoinToken token = token(ledger, 3);
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger taken = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  if (ledger.use(token.id()) instanceof Use.Taken) {
                    taken.incrementAndGet();
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    }

    assertThat(taken).hasValue(3);
    assertThat(ledger.find(token.id()).orElseThrow().uses()).isEqualTo(3);
  }

  @Test
  void theTrustDomainIsWhateverWasClaimedFirst() {
    CaCertificates certificates = new CaCertificates(database);

    String first = certificates.claimTrustDomain("first.local");

    assertThat(certificates.claimTrustDomain("second.local")).isEqualTo(first);
  }

  @Test
  void establishingTwiceAtOnceMakesOneCa() throws Exception {
    CaCertificates certificates = new CaCertificates(database);
    AtomicInteger made = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<List<CaCertificate>>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      for (int i = 0; i < 2; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return certificates.establish(
                      () -> {
                        made.incrementAndGet();
                        return ca("r" + made.get(), "i" + made.get());
                      });
                }));
      }
      start.countDown();
      assertThat(results.get(0).get()).isEqualTo(results.get(1).get()).hasSize(2);
    }
    assertThat(made).hasValue(1);
    List<CaCertificate> stored = certificates.all();
    assertThat(stored)
        .extracting(CaCertificate::role)
        .containsExactly(CaCertificate.Role.ROOT, CaCertificate.Role.INTERMEDIATE);
    assertThat(stored.get(1).key())
        .isInstanceOfSatisfying(
            StoredKey.Sealed.class, k -> assertThat(k.kekId()).isEqualTo("kek1"));
    assertThat(stored.get(1).issuerFingerprint()).contains(stored.get(0).fingerprint());
    assertThat(certificates.establish(() -> List.of())).isEqualTo(stored);
  }

  @Test
  void issuedCertificatesAreRecorded() {
    JoinTokenLedger ledger = new JoinTokenLedger(database);
    JoinToken token = token(ledger, 1);
    IssuedCertificates issued = new IssuedCertificates(database);
    Instant notAfter = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    String id = "spiffe://t/env/prod/svc/" + UUID.randomUUID().toString().substring(0, 8);
    IssuedCertificate first =
        new IssuedCertificate(
            "01",
            id,
            notAfter,
            IssuedCertificate.Via.JOIN_TOKEN,
            Optional.of(token.id()),
            Optional.empty(),
            "i1");
    IssuedCertificate second =
        new IssuedCertificate(
            "02",
            id,
            notAfter,
            IssuedCertificate.Via.RENEWAL,
            Optional.empty(),
            Optional.of("01"),
            "i1");

    issued.record(first);
    issued.record(second);

    assertThat(issued.issuedTo(id)).containsExactly(first, second);
  }

  private static List<CaCertificate> ca(String root, String intermediate) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return List.of(
        new CaCertificate(
            intermediate,
            CaCertificate.Role.INTERMEDIATE,
            Optional.of(root),
            "CN=i",
            "02",
            "pem-i",
            new StoredKey.Sealed(new byte[] {1, 2, 3}, "kek1"),
            CaCertificate.State.ACTIVE,
            t,
            t.plus(Duration.ofDays(365))),
        new CaCertificate(
            root,
            CaCertificate.Role.ROOT,
            Optional.empty(),
            "CN=r",
            "01",
            "pem-r",
            new StoredKey.None(),
            CaCertificate.State.ACTIVE,
            t,
            t.plus(Duration.ofDays(3650))));
  }
}
