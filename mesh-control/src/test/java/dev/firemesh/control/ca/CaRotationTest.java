package dev.firemesh.control.ca;

import static dev.firemesh.control.ca.AdminCalls.admin;
import static dev.firemesh.control.ca.AdminCalls.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ca.AdminCalls.Reply;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.Fingerprint;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.PossessionProof;
import dev.firemesh.identity.SvidVerifier;
import dev.firemesh.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Staged CA rotation on two control-plane replicas sharing one PostgreSQL: every step taken on one
 * replica is served by the other without a restart, and every step out of order is refused with its
 * reason.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CaRotationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRUST_DOMAIN = "trading.example";

  @TempDir Path dir;
  Database database;
  ControlPlane first;
  ControlPlane second;

  private void start(Optional<Duration> propagation) throws Exception {
    database = Database.embedded(dir.resolve("pg"));
    Path kek = dir.resolve("shared.kek");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Files.createFile(
        kek, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(kek, key);
    first = ControlPlane.start(options("a", kek, propagation));
    second = ControlPlane.start(options("b", kek, propagation));
  }

  private ControlPlane.Options options(String name, Path kek, Optional<Duration> propagation) {
    return ControlPlane.Options.defaults(dir.resolve(name))
        .withPorts(0, 0)
        .withStore(Optional.of(database.url()))
        .withCaKekFile(Optional.of(kek))
        .withCa(
            CertificateAuthority.Options.defaults()
                .withTrustDomain(TRUST_DOMAIN)
                .withBundlePropagation(propagation));
  }

  @AfterEach
  void stop() {
    for (AutoCloseable part : new AutoCloseable[] {first, second, database}) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  @Test
  void anIntermediateIsRotatedStepByStepAndEveryStepOutOfOrderIsRefused() throws Exception {
    start(Optional.empty());
    Workload orders = new Workload("orders");
    assertThat(orders.join(first, token(first, "orders")).status()).isEqualTo(200);
    String oldIssuer = orders.issuer();

    assertRefused(step(first, "activate", null), "no-rotation");
    assertRefused(step(second, "finish", null), "no-rotation");

    Reply prepared = step(first, "prepare", JSON.createObjectNode().put("root", false));
    assertThat(prepared.status()).as(prepared.text()).isEqualTo(200);
    assertThat(prepared.body().path("changed").asBoolean()).isTrue();
    String newIssuer = prepared.body().path("rotation").path("newIntermediate").asText();
    assertThat(newIssuer).isNotEqualTo(oldIssuer);
    // The new intermediate is trusted, not signing; the bundle is unchanged (same root).
    JsonNode polled = status(first, Optional.empty());
    assertThat(polled.path("activeIssuer").asText()).isEqualTo(oldIssuer);
    // The pace workloads follow comes with every poll.
    assertThat(polled.path("pollEverySeconds").asLong()).isBetween(1L, 15L);
    assertThat(polled.path("earlyRenewalWithinSeconds").asLong()).isBetween(1L, 60L);
    assertThat(state(first, newIssuer)).isEqualTo("trusted");

    Reply again = step(second, "prepare", JSON.createObjectNode().put("root", false));
    assertThat(again.status()).as("prepare is idempotent, from any replica").isEqualTo(200);
    assertThat(again.body().path("changed").asBoolean()).isFalse();
    assertRefused(
        step(first, "prepare", JSON.createObjectNode().put("root", true)), "rotation-in-progress");
    assertRefused(step(first, "finish", null), "not-activated");

    // No new root: nothing to propagate, activate at once (on the other replica).
    Reply activated = step(second, "activate", null);
    assertThat(activated.status()).as(activated.text()).isEqualTo(200);
    assertThat(status(second, Optional.empty()).path("activeIssuer").asText()).isEqualTo(newIssuer);
    await()
        .atMost(Duration.ofSeconds(20))
        .alias("the first replica follows without a restart")
        .until(
            () -> status(first, Optional.empty()).path("activeIssuer").asText().equals(newIssuer));
    assertThat(step(first, "activate", null).body().path("changed").asBoolean())
        .as("activate is idempotent")
        .isFalse();
    assertThat(state(first, oldIssuer)).isEqualTo("trusted");

    // orders still holds an SVID of the old intermediate: finish waits for it.
    Reply early = step(first, "finish", null);
    assertRefused(early, "old-svids-live");
    assertThat(early.body().path("message").asText()).contains(orders.identity.toString());
    assertThat(ca(first).path("rotation").path("oldSvidsLive").asLong()).isEqualTo(1);

    // Its renewal (the old SVID is still trusted) comes from the new intermediate.
    assertThat(orders.renew(first).status()).isEqualTo(200);
    assertThat(orders.issuer()).isEqualTo(newIssuer);

    Reply finished = step(second, "finish", null);
    assertThat(finished.status()).as(finished.text()).isEqualTo(200);
    assertThat(state(second, oldIssuer)).isEqualTo("retired");
    assertThat(ca(second).path("rotation").path("stage").asText()).isEqualTo("none");
    assertRefused(step(second, "finish", null), "no-rotation");
    await().atMost(Duration.ofSeconds(20)).until(() -> state(first, oldIssuer).equals("retired"));
    assertThat(orders.renew(second).status()).as("the new intermediate renews").isEqualTo(200);
  }

  @Test
  void aNewRootJoinsTheBundleAtOnceSignsOnlyAfterPropagationAndTheOldOneLeavesAtTheEnd()
      throws Exception {
    start(Optional.of(Duration.ofSeconds(5)));
    Workload risk = new Workload("risk");
    assertThat(risk.join(first, token(first, "risk")).status()).isEqualTo(200);
    JsonNode before = status(second, Optional.empty());
    String oldBundle = before.path("trustBundleFingerprint").asText();
    X509Certificate oldRoot =
        Pem.decodeCertificates(before.path("trustBundle").asText()).getFirst();

    Reply prepared = step(first, "prepare", JSON.createObjectNode().put("root", true));
    assertThat(prepared.status()).as(prepared.text()).isEqualTo(200);
    String newRoot = prepared.body().path("rotation").path("newRoot").asText();
    assertRefused(step(second, "activate", null), "bundle-propagating");

    // The poll a workload makes: the new bundle, both roots, on either replica.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !status(second, Optional.of(oldBundle)).path("trustBundle").isMissingNode());
    List<X509Certificate> both =
        Pem.decodeCertificates(status(second, Optional.of(oldBundle)).path("trustBundle").asText());
    assertThat(both).extracting(Fingerprint::sha256).contains(newRoot, Fingerprint.sha256(oldRoot));
    JsonNode current = status(second, Optional.of(Fingerprint.ofBundle(both)));
    assertThat(current.path("trustBundle").isMissingNode())
        .as("a workload whose bundle is current gets only fingerprints")
        .isTrue();
    assertThat(metrics(first)).contains("firemesh_ca_rotation_stage{stage=\"prepared\"} 1");

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> step(first, "activate", null).status() == 200);
    String newIssuer = status(first, Optional.empty()).path("activeIssuer").asText();

    // The old SVID renews onto the new intermediate, whose chain the old bundle does not verify
    // but the current one does: why the root had to propagate first.
    assertThat(risk.renew(first).status()).isEqualTo(200);
    assertThat(risk.issuer()).isEqualTo(newIssuer);
    new SvidVerifier(TRUST_DOMAIN, both).verify(risk.chain, Instant.now());
    assertThat(metrics(first))
        .contains("firemesh_ca_rotation_stage{stage=\"activated\"} 1")
        .containsPattern(
            "firemesh_ca_certificate_expiry_seconds\\{role=\"root\",serial=\"[0-9a-f]+\",state=\"trusted\"\\}");

    Reply finished = step(second, "finish", null);
    assertThat(finished.status()).as(finished.text()).isEqualTo(200);
    List<X509Certificate> after =
        Pem.decodeCertificates(status(second, Optional.empty()).path("trustBundle").asText());
    assertThat(after).extracting(Fingerprint::sha256).containsExactly(newRoot);
    new SvidVerifier(TRUST_DOMAIN, after).verify(risk.chain, Instant.now());
    assertThat(ca(second).path("items"))
        .filteredOn(i -> i.path("state").asText().equals("retired"))
        .hasSize(2);
  }

  private static void assertRefused(Reply reply, String reason) {
    assertThat(reply.status()).as(reply.text()).isEqualTo(409);
    assertThat(reply.body().path("error").asText()).as(reply.text()).isEqualTo(reason);
  }

  private static Reply step(ControlPlane replica, String step, JsonNode body) throws Exception {
    return call(
        replica,
        "POST",
        "/v1/ca/rotation/" + step,
        body == null ? JSON.createObjectNode() : body,
        admin(replica));
  }

  private static JsonNode status(ControlPlane replica, Optional<String> bundle) throws Exception {
    return call(
            replica,
            "GET",
            "/v1/svid/status" + bundle.map(b -> "?bundle=" + b).orElse(""),
            null,
            List.of())
        .body();
  }

  private static JsonNode ca(ControlPlane replica) throws Exception {
    return call(replica, "GET", "/v1/ca", null, admin(replica)).body();
  }

  private static String state(ControlPlane replica, String fingerprint) throws Exception {
    for (JsonNode item : ca(replica).path("items")) {
      if (item.path("fingerprint").asText().equals(fingerprint)) {
        return item.path("state").asText();
      }
    }
    return "absent";
  }

  private static String metrics(ControlPlane replica) throws Exception {
    return call(replica, "GET", "/metrics", null, admin(replica)).text();
  }

  final class Workload {
    final SpiffeId identity;
    KeyPair keys = KeyPairs.generate();
    List<X509Certificate> chain = new ArrayList<>();

    Workload(String service) {
      identity = new SpiffeId(TRUST_DOMAIN, "prod", service);
    }

    String issuer() {
      return Fingerprint.sha256(chain.get(1));
    }

    Reply join(ControlPlane replica, String token) throws Exception {
      byte[] csr = CertificateRequests.create(keys, identity);
      return accept(post(replica, csr, Optional.empty(), "JoinToken " + token), keys);
    }

    Reply renew(ControlPlane replica) throws Exception {
      KeyPair next = KeyPairs.generate();
      byte[] csr = CertificateRequests.create(next, identity);
      byte[] proof = PossessionProof.sign(keys.getPrivate(), csr);
      String leaf = "Svid " + Base64.getEncoder().encodeToString(chain.getFirst().getEncoded());
      return accept(post(replica, csr, Optional.of(proof), leaf), next);
    }

    private Reply accept(Reply reply, KeyPair used) {
      if (reply.status() == 200) {
        keys = used;
        chain = Pem.decodeCertificates(reply.body().path("certificateChain").asText());
      }
      return reply;
    }
  }

  private static Reply post(
      ControlPlane replica, byte[] csr, Optional<byte[]> proof, String authorization)
      throws Exception {
    ObjectNode body = JSON.createObjectNode().put("csr", Pem.encodeCertificateRequest(csr));
    proof.ifPresent(p -> body.put("proof", Base64.getEncoder().encodeToString(p)));
    return call(replica, "POST", "/v1/svid", body, List.of("Authorization", authorization));
  }

  private static String token(ControlPlane replica, String service) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("service", service).put("env", "prod");
    Reply reply = call(replica, "POST", "/v1/tokens", body, admin(replica));
    assertThat(reply.status()).as(reply.text()).isEqualTo(200);
    return reply.body().path("token").asText();
  }
}
