package dev.firemesh.control.ca;

import static dev.firemesh.control.ca.AdminCalls.admin;
import static dev.firemesh.control.ca.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ca.AdminCalls.Reply;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.PossessionProof;
import dev.firemesh.store.Database;
import dev.firemesh.store.ca.CaCertificate;
import dev.firemesh.store.ca.CaCertificates;
import dev.firemesh.store.ca.IssuedCertificate;
import dev.firemesh.store.ca.IssuedCertificates;
import dev.firemesh.store.ca.StoredKey;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA as workloads and operators see it: two control-plane replicas on one PostgreSQL, started
 * at once, over real HTTP on loopback.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CertificateAuthorityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRUST_DOMAIN = "trading.example";
  private static final SpiffeId ORDERS = new SpiffeId(TRUST_DOMAIN, "prod", "orders");

  @TempDir static Path dir;
  static Database database;
  static Path kekFile;
  static ControlPlane first;
  static ControlPlane second;

  @BeforeAll
  static void start() throws Exception {
    database = Database.embedded(dir.resolve("pg"));
    kekFile = dir.resolve("shared.kek");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.createFile(
        kekFile,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(kekFile, key);
    // Both replicas start at once on an empty database: they must end with one CA.
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<ControlPlane> a = pool.submit(() -> startReplica("a", go));
      Future<ControlPlane> b = pool.submit(() -> startReplica("b", go));
      go.countDown();
      first = a.get();
      second = b.get();
    }
  }

  private static ControlPlane startReplica(String name, CountDownLatch go) throws Exception {
    go.await();
    return ControlPlane.start(options(name, kekFile, TRUST_DOMAIN));
  }

  private static ControlPlane.Options options(String name, Path kek, String trustDomain) {
    return ControlPlane.Options.defaults(dir.resolve(name))
        .withPorts(0, 0)
        .withStore(Optional.of(database.url()))
        .withCaKekFile(Optional.of(kek))
        .withCa(CertificateAuthority.Options.defaults().withTrustDomain(trustDomain));
  }

  @AfterAll
  static void stop() {
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    if (database != null) {
      database.close();
    }
  }

  // --- operators ---

  @Test
  void bothReplicasServeOneCaAndEitherSigns() throws Exception {
    Reply a = call(first, "GET", "/v1/ca", null, admin(first));
    Reply b = call(second, "GET", "/v1/ca", null, admin(second));

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().path("items")).hasSize(2);
    assertThat(fingerprints(a)).isEqualTo(fingerprints(b));
    assertThat(a.body().path("trustDomain").asText()).isEqualTo(TRUST_DOMAIN);
    assertThat(new CaCertificates(database).all()).hasSize(2);

    Workload orders = new Workload("orders");
    Reply issuedByA = orders.join(first, token(first, "orders", 1));
    Reply renewedByB = orders.renew(second);

    assertThat(issuedByA.status()).isEqualTo(200);
    assertThat(renewedByB.status()).as(renewedByB.text()).isEqualTo(200);
    assertThat(call(first, "GET", "/v1/trust-bundle", null, List.of()).text())
        .isEqualTo(call(second, "GET", "/v1/trust-bundle", null, List.of()).text());
  }

  @Test
  void theCaStatusShowsNoKeyMaterial() throws Exception {
    Reply ca = call(first, "GET", "/v1/ca", null, admin(first));

    assertThat(ca.text()).doesNotContain("PRIVATE").doesNotContain("BEGIN");
    JsonNode intermediate = ca.body().path("items").get(1);
    assertThat(intermediate.path("role").asText()).isEqualTo("intermediate");
    assertThat(intermediate.path("state").asText()).isEqualTo("active");
    assertThat(intermediate.path("daysLeft").asLong()).isBetween(363L, 365L);
    // A one-year intermediate warns at 20% of its lifetime left, not now.
    assertThat(intermediate.path("warnings")).isEmpty();
    assertThat(ca.body().path("warnings").asInt()).isZero();
  }

  @Test
  void theTrustBundleIsPublicAndTokensAreNot() throws Exception {
    Reply bundle = call(first, "GET", "/v1/trust-bundle", null, List.of());
    assertThat(bundle.status()).isEqualTo(200);
    List<X509Certificate> roots = Pem.decodeCertificates(bundle.text());
    assertThat(roots).hasSize(1);
    assertThat(roots.getFirst().getBasicConstraints()).isEqualTo(1);

    Reply domain = call(second, "GET", "/v1/trust-domain", null, List.of());
    assertThat(domain.status()).isEqualTo(200);
    assertThat(domain.body().path("trustDomain").asText()).isEqualTo(TRUST_DOMAIN);

    assertThat(call(first, "GET", "/v1/tokens", null, List.of()).status()).isEqualTo(401);
    assertThat(call(first, "GET", "/v1/ca", null, List.of()).status()).isEqualTo(401);
    assertThat(call(first, "GET", "/metrics", null, List.of()).status()).isEqualTo(401);
  }

  @Test
  void tokensAreListedWithoutSecretsAndCanBeRevoked() throws Exception {
    String token = token(first, "risk", 2);
    String id = token.substring(5, 21);

    Reply list = call(second, "GET", "/v1/tokens", null, admin(second));
    assertThat(list.text()).contains(id).doesNotContain(token.substring(22));
    Reply revoked = call(first, "DELETE", "/v1/tokens/" + id, null, admin(first));
    assertThat(revoked.body().path("state").asText()).isEqualTo("revoked");
    assertThat(call(first, "DELETE", "/v1/tokens/0000000000000000", null, admin(first)).status())
        .isEqualTo(404);

    Reply refused = new Workload("risk").join(first, token);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.body().path("error").asText()).isEqualTo("token-revoked");
    assertThat(refused.body().path("message").asText())
        .isEqualTo("join token " + id + " is revoked");
  }

  @Test
  void badTokenRequestsAreRefusedNamingTheField() throws Exception {
    ObjectNode body = JSON.createObjectNode().put("service", "Orders!").put("env", "prod");
    Reply reply = call(first, "POST", "/v1/tokens", body, admin(first));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().path("message").asText()).contains("service must be a DNS label");

    body =
        JSON.createObjectNode()
            .put("service", "orders")
            .put("env", "prod")
            .put("ttlSeconds", 31 * 86_400);
    assertThat(
            call(first, "POST", "/v1/tokens", body, admin(first)).body().path("message").asText())
        .contains("ttl must be between 1 second and 30 days");
  }

  // --- first issue with a join token ---

  @Test
  void aJoinTokenGetsAnSvidThatValidatesAgainstTheTrustBundle() throws Exception {
    Workload orders = new Workload("orders");

    Reply reply = orders.join(first, token(first, "orders", 1));

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    SpiffeId expected = new SpiffeId(TRUST_DOMAIN, "prod", "orders");
    assertThat(reply.body().path("spiffeId").asText()).isEqualTo(expected.toString());
    List<X509Certificate> chain =
        Pem.decodeCertificates(reply.body().path("certificateChain").asText());
    List<X509Certificate> bundle =
        Pem.decodeCertificates(reply.body().path("trustBundle").asText());
    assertThat(chain).hasSize(2);
    assertThat(chain.getFirst().getPublicKey()).isEqualTo(orders.keys.getPublic());
    validate(chain, bundle);
    Instant notAfter = Instant.parse(reply.body().path("notAfter").asText());
    Instant renewAfter = Instant.parse(reply.body().path("renewAfter").asText());
    assertThat(notAfter).isEqualTo(chain.getFirst().getNotAfter().toInstant());
    assertThat(Duration.between(renewAfter, notAfter))
        .isBetween(Duration.ofMinutes(29), Duration.ofMinutes(31));
    List<IssuedCertificate> ledger = new IssuedCertificates(database).issuedTo(expected.toString());
    assertThat(ledger)
        .extracting(IssuedCertificate::serial)
        .contains(chain.getFirst().getSerialNumber().toString(16));
  }

  @Test
  void aTokenUsedTwiceIsRefusedTheSecondTime() throws Exception {
    String token = token(first, "orders", 1);

    assertThat(new Workload("orders").join(first, token).status()).isEqualTo(200);
    Reply again = new Workload("orders").join(second, token);

    assertThat(again.status()).isEqualTo(401);
    assertThat(again.body().path("error").asText()).isEqualTo("token-used-up");
    assertThat(again.body().path("message").asText()).endsWith("is used up");
  }

  @Test
  void anExpiredTokenIsRefused() throws Exception {
    String token = token(first, "orders", 1);
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "update join_tokens set expires_at = now() - interval '1 second' where id = ?")) {
      s.setString(1, token.substring(5, 21));
      s.executeUpdate();
    }

    Reply reply = new Workload("orders").join(first, token);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().path("error").asText()).isEqualTo("token-expired");
  }

  @Test
  void anUnknownOrForgedTokenIsRefused() throws Exception {
    String token = token(first, "orders", 1);
    String forged = token.substring(0, 22) + "A".repeat(43);

    assertThat(new Workload("orders").join(first, forged).body().path("error").asText())
        .isEqualTo("token-unknown");
    assertThat(new Workload("orders").join(first, "fmjt_nonsense").body().path("error").asText())
        .isEqualTo("token-malformed");
    assertThat(new Workload("orders").join(first, token).status()).isEqualTo(200);
  }

  @Test
  void aRequestForAnotherServicesIdentityIsForbiddenAndDoesNotSpendTheToken() throws Exception {
    String token = token(first, "orders", 1);
    Workload impostor = new Workload("risk");

    Reply reply = impostor.join(first, token);

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body().path("message").asText())
        .contains("spiffe://" + TRUST_DOMAIN + "/env/prod/svc/orders")
        .contains("spiffe://" + TRUST_DOMAIN + "/env/prod/svc/risk");
    assertThat(new Workload("orders").join(first, token).status()).isEqualTo(200);
  }

  @Test
  void aRequestWithABadSignatureIsRefused() throws Exception {
    Workload orders = new Workload("orders");
    byte[] csr = CertificateRequests.create(orders.keys, orders.identity);
    csr[csr.length - 3] ^= 0x01;

    Reply reply =
        post(
            first,
            Pem.encodeCertificateRequest(csr),
            Optional.empty(),
            "JoinToken " + token(first, "orders", 1));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().path("error").asText()).isEqualTo("csr-bad-signature");
  }

  @Test
  void noCredentialsIsUnauthenticated() throws Exception {
    Workload orders = new Workload("orders");
    HttpResponse<String> response =
        AdminCalls.http(first)
            .send(
                HttpRequest.newBuilder(URI.create(first.adminUrl() + "/v1/svid"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            JSON.createObjectNode()
                                .put(
                                    "csr",
                                    Pem.encodeCertificateRequest(
                                        CertificateRequests.create(orders.keys, orders.identity)))
                                .toString()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("no-credentials");
  }

  @Test
  void concurrentUsesOfAThreeUseTokenSucceedExactlyThreeTimes() throws Exception {
    String token = token(first, "orders", 3);
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
      CountDownLatch go = new CountDownLatch(1);
      for (int i = 0; i < 10; i++) {
        ControlPlane replica = i % 2 == 0 ? first : second;
        calls.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    Workload w = new Workload("orders");
                    go.await();
                    return w.join(replica, token).status();
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                },
                pool));
      }
      go.countDown();
    }
    List<Integer> statuses = calls.stream().map(CompletableFuture::join).toList();
    assertThat(statuses).filteredOn(s -> s == 200).hasSize(3);
    assertThat(statuses).filteredOn(s -> s == 401).hasSize(7);
  }

  // --- renewal ---

  @Test
  void renewalWithAValidProofGetsANewSvidForTheNewKey() throws Exception {
    Workload orders = new Workload("orders");
    orders.join(first, token(first, "orders", 1));
    X509Certificate old = orders.leaf;

    Reply reply = orders.renew(first);

    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    assertThat(orders.leaf.getSerialNumber()).isNotEqualTo(old.getSerialNumber());
    assertThat(orders.leaf.getPublicKey())
        .isEqualTo(orders.keys.getPublic())
        .isNotEqualTo(old.getPublicKey());
    assertThat(new IssuedCertificates(database).issuedTo(orders.identity.toString()))
        .filteredOn(i -> i.serial().equals(orders.leaf.getSerialNumber().toString(16)))
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.via()).isEqualTo(IssuedCertificate.Via.RENEWAL);
              assertThat(i.renewedSerial()).contains(old.getSerialNumber().toString(16));
            });
  }

  @Test
  void renewalWithAProofByAnotherKeyIsRefused() throws Exception {
    Workload orders = new Workload("orders");
    orders.join(first, token(first, "orders", 1));

    Reply reply = renewal(orders.leaf, KeyPairs.generate().getPrivate(), orders.identity);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().path("error").asText()).isEqualTo("proof-invalid");
  }

  @Test
  void renewalForAnotherIdentityIsForbidden() throws Exception {
    Workload orders = new Workload("orders");
    orders.join(first, token(first, "orders", 1));

    Reply reply =
        renewal(orders.leaf, orders.keys.getPrivate(), new SpiffeId(TRUST_DOMAIN, "prod", "risk"));

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body().path("error").asText()).isEqualTo("identity-mismatch");
  }

  @Test
  void renewalWithAnExpiredSvidIsRefused() throws Exception {
    KeyPair old = KeyPairs.generate();
    X509Certificate expired =
        realIntermediate()
            .issueSvid(
                old.getPublic(),
                ORDERS,
                Instant.now().minus(Duration.ofHours(2)),
                Duration.ofHours(1));

    Reply reply = renewal(expired, old.getPrivate(), ORDERS);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().path("error").asText()).isEqualTo("svid-expired");
  }

  @Test
  void renewalWithAnSvidFromAnotherCaIsRefused() throws Exception {
    KeyPair old = KeyPairs.generate();
    CertificateIssuer foreignRoot =
        CertificateIssuer.selfSignedRoot(
            KeyPairs.generate(), "CN=FireMesh Root CA", Instant.now(), Duration.ofDays(1));
    CertificateIssuer foreign =
        foreignRoot.intermediate(
            KeyPairs.generate(), "CN=FireMesh Intermediate CA", Instant.now(), Duration.ofDays(1));
    X509Certificate leaf =
        foreign.issueSvid(old.getPublic(), ORDERS, Instant.now(), Duration.ofHours(1));

    Reply reply = renewal(leaf, old.getPrivate(), ORDERS);

    assertThat(reply.status()).isEqualTo(401);
    assertThat(reply.body().path("error").asText()).isEqualTo("svid-untrusted");
  }

  /**
   * A renewal presenting {@code current}, for a fresh key asking {@code asked}, proved by {@code
   * signer}.
   */
  private static Reply renewal(X509Certificate current, PrivateKey signer, SpiffeId asked)
      throws Exception {
    byte[] csr = CertificateRequests.create(KeyPairs.generate(), asked);
    return post(
        first,
        Pem.encodeCertificateRequest(csr),
        Optional.of(PossessionProof.sign(signer, csr)),
        svidHeader(current));
  }

  // --- secrets at rest ---

  @Test
  void aDatabaseDumpHoldsNoPrivateKeyInClearAndNoTokenSecret() throws Exception {
    String token = token(first, "orders", 2);
    new Workload("orders").join(first, token);
    String secret = token.substring(22);

    String dump = dump("ca_settings", "ca_certificates", "join_tokens", "issued_certificates");

    assertThat(dump).doesNotContain(secret).doesNotContain(token).doesNotContain("PRIVATE KEY");
    KeyEncryptionKey kek = KeyEncryptionKey.load(kekFile);
    for (CaCertificate c : new CaCertificates(database).all()) {
      StoredKey.Sealed sealed = (StoredKey.Sealed) c.key();
      byte[] clear =
          kek.open(
              sealed.ciphertext(),
              sealed.kekId(),
              c.fingerprint().getBytes(StandardCharsets.US_ASCII));
      PrivateKey key = Pem.privateKey(clear);
      assertThat(dump)
          .doesNotContain(HexFormat.of().formatHex(clear))
          .doesNotContain(Base64.getEncoder().encodeToString(clear))
          .doesNotContain(Pem.encodePrivateKey(key).lines().skip(1).findFirst().orElseThrow());
    }
  }

  // --- start-up refusals ---

  @Test
  void aKekFileOthersCanReadIsRefused() throws Exception {
    Path open = dir.resolve("open.kek");
    Files.write(open, new byte[32]);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> ControlPlane.start(options("c", open, TRUST_DOMAIN)))
        .hasMessageContaining(open.toString())
        .hasMessageContaining("0644");
  }

  @Test
  void aWrongKekIsNamedWithBothIds() throws Exception {
    Path other = dir.resolve("other.kek");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.createFile(
        other, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(other, key);

    assertThatThrownBy(() -> ControlPlane.start(options("d", other, TRUST_DOMAIN)))
        .hasMessageContaining(KeyEncryptionKey.load(kekFile).id())
        .hasMessageContaining(KeyEncryptionKey.load(other).id())
        .hasMessageContaining("--ca-kek-file");
  }

  @Test
  void anotherTrustDomainIsRefusedNamingTheStoredOne() {
    assertThatThrownBy(() -> ControlPlane.start(options("e", kekFile, "other.example")))
        .hasMessageContaining("'" + TRUST_DOMAIN + "'")
        .hasMessageContaining("'other.example'");
  }

  @Test
  void metricsCountIssuesAndRefusals() throws Exception {
    Workload orders = new Workload("orders");
    orders.join(first, token(first, "orders", 1));
    new Workload("risk").join(first, token(first, "orders", 1));

    Reply metrics = call(first, "GET", "/metrics", null, admin(first));

    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.text())
        .contains("firemesh_ca_certificate_expiry_seconds{role=\"root\",serial=\"")
        .contains("firemesh_ca_certificate_expiry_seconds{role=\"intermediate\",serial=\"")
        .containsPattern("firemesh_ca_svids_issued_total\\{via=\"join-token\"} [1-9]")
        .containsPattern("firemesh_ca_svid_refusals_total\\{reason=\"identity-mismatch\"} [1-9]");
  }

  // --- an operator's own CA ---

  @Test
  void anImportedCaIsUsedAndAMismatchedOneRefused() throws Exception {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("create database imported")) {
      s.execute();
    }
    String url = database.url().replaceFirst("(:\\d+)/[^?]*", "$1/imported");
    CertificateIssuer root =
        CertificateIssuer.selfSignedRoot(
            KeyPairs.generate(), "CN=Desk PKI Root,O=Bank", Instant.now(), Duration.ofDays(3650));
    CertificateIssuer intermediate =
        root.intermediate(
            KeyPairs.generate(), "CN=Desk PKI Mesh,O=Bank", Instant.now(), Duration.ofDays(100));
    Path files = Files.createDirectories(dir.resolve("pki"));
    Files.writeString(files.resolve("root.pem"), Pem.encodeCertificate(root.certificate()));
    Files.writeString(files.resolve("int.pem"), Pem.encodeCertificate(intermediate.certificate()));
    Files.writeString(files.resolve("int.key"), Pem.encodePrivateKey(intermediate.privateKey()));
    Files.writeString(
        files.resolve("other.key"), Pem.encodePrivateKey(KeyPairs.generate().getPrivate()));
    CertificateAuthority.Import wrongKey =
        new CertificateAuthority.Import(
            files.resolve("root.pem"), files.resolve("int.pem"), files.resolve("other.key"));
    CertificateAuthority.Import swapped =
        new CertificateAuthority.Import(
            files.resolve("int.pem"), files.resolve("root.pem"), files.resolve("int.key"));
    CertificateAuthority.Import good =
        new CertificateAuthority.Import(
            files.resolve("root.pem"), files.resolve("int.pem"), files.resolve("int.key"));

    assertThatThrownBy(() -> ControlPlane.start(imported("f", url, wrongKey)))
        .hasMessageContaining("other.key")
        .hasMessageContaining("does not belong");
    assertThatThrownBy(() -> ControlPlane.start(imported("f", url, swapped)))
        .hasMessageContaining("int.pem is not a self-signed root");
    try (ControlPlane plane = ControlPlane.start(imported("f", url, good))) {
      Reply ca = call(plane, "GET", "/v1/ca", null, admin(plane));
      assertThat(fingerprints(ca))
          .containsExactly(
              dev.firemesh.identity.Fingerprint.sha256(root.certificate()),
              dev.firemesh.identity.Fingerprint.sha256(intermediate.certificate()));
      assertThat(ca.body().path("items").get(0).path("keyStored").asBoolean())
          .as("the root's key stays with the operator")
          .isFalse();
      Workload orders = new Workload("orders");
      Reply issued = orders.join(plane, token(plane, "orders", 1));
      assertThat(issued.status()).as(issued.text()).isEqualTo(200);
      validate(
          Pem.decodeCertificates(issued.body().path("certificateChain").asText()),
          List.of(root.certificate()));
    }
  }

  private static ControlPlane.Options imported(
      String name, String url, CertificateAuthority.Import files) {
    return options(name, kekFile, TRUST_DOMAIN)
        .withStore(Optional.of(url))
        .withCa(
            CertificateAuthority.Options.defaults()
                .withTrustDomain(TRUST_DOMAIN)
                .withImport(Optional.of(files)));
  }

  // --- helpers ---

  /** A workload: its key, its identity and, once issued, its SVID. */
  final class Workload {
    final SpiffeId identity;
    KeyPair keys = KeyPairs.generate();
    X509Certificate leaf;

    Workload(String service) {
      identity = new SpiffeId(TRUST_DOMAIN, "prod", service);
    }

    Reply join(ControlPlane replica, String token) throws Exception {
      byte[] csr = CertificateRequests.create(keys, identity);
      return accept(
          post(replica, Pem.encodeCertificateRequest(csr), Optional.empty(), "JoinToken " + token));
    }

    Reply renew(ControlPlane replica) throws Exception {
      KeyPair next = KeyPairs.generate();
      byte[] csr = CertificateRequests.create(next, identity);
      byte[] proof = PossessionProof.sign(keys.getPrivate(), csr);
      Reply reply =
          post(replica, Pem.encodeCertificateRequest(csr), Optional.of(proof), svidHeader(leaf));
      if (reply.status() == 200) {
        keys = next;
      }
      return accept(reply);
    }

    private Reply accept(Reply reply) {
      if (reply.status() == 200) {
        leaf = Pem.decodeCertificates(reply.body().path("certificateChain").asText()).getFirst();
      }
      return reply;
    }
  }

  private static String svidHeader(X509Certificate leaf) throws Exception {
    return "Svid " + Base64.getEncoder().encodeToString(leaf.getEncoded());
  }

  private static Reply post(
      ControlPlane replica, String csrPem, Optional<byte[]> proof, String authorization)
      throws Exception {
    ObjectNode body = JSON.createObjectNode().put("csr", csrPem);
    proof.ifPresent(p -> body.put("proof", Base64.getEncoder().encodeToString(p)));
    return call(replica, "POST", "/v1/svid", body, List.of("Authorization", authorization));
  }

  private static String token(ControlPlane replica, String service, int uses) throws Exception {
    ObjectNode body =
        JSON.createObjectNode().put("service", service).put("env", "prod").put("uses", uses);
    Reply reply = call(replica, "POST", "/v1/tokens", body, admin(replica));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.body().path("token").asText();
  }

  private static List<String> fingerprints(Reply ca) {
    List<String> prints = new ArrayList<>();
    ca.body().path("items").forEach(i -> prints.add(i.path("fingerprint").asText()));
    return prints;
  }

  private static void validate(List<X509Certificate> chain, List<X509Certificate> roots)
      throws Exception {
    PKIXParameters parameters =
        new PKIXParameters(Set.copyOf(roots.stream().map(r -> new TrustAnchor(r, null)).toList()));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
  }

  /** The stored intermediate with its key, opened as a replica does: to sign test certificates. */
  private static CertificateIssuer realIntermediate() {
    KeyEncryptionKey kek = KeyEncryptionKey.load(kekFile);
    CaCertificate row =
        new CaCertificates(database)
            .all().stream()
                .filter(c -> c.role() == CaCertificate.Role.INTERMEDIATE)
                .findFirst()
                .orElseThrow();
    StoredKey.Sealed sealed = (StoredKey.Sealed) row.key();
    return new CertificateIssuer(
        Pem.decodeCertificate(row.certificatePem()),
        Pem.privateKey(
            kek.open(
                sealed.ciphertext(),
                sealed.kekId(),
                row.fingerprint().getBytes(StandardCharsets.US_ASCII))));
  }

  private static String dump(String... tables) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = database.dataSource().getConnection()) {
      for (String table : tables) {
        try (PreparedStatement s = c.prepareStatement("select * from " + table);
            ResultSet rs = s.executeQuery()) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              Object value = rs.getObject(i);
              out.append(meta.getColumnName(i)).append('=');
              if (value instanceof byte[] bytes) {
                out.append(HexFormat.of().formatHex(bytes))
                    .append(' ')
                    .append(Base64.getEncoder().encodeToString(bytes));
              } else {
                out.append(value);
              }
              out.append('\n');
            }
          }
        }
      }
    }
    return out.toString();
  }
}
