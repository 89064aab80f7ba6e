package dev.firemesh.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.SvidRejectedException.Reason;
import dev.firemesh.identity.TestPki.Issued;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SvidVerifierTest {
  private static final String ORDERS = "spiffe://bank.example/env/prod/svc/orders";

  private static Issued root;
  private static Issued intermediate;
  private static SvidVerifier verifier;

  @BeforeAll
  static void pki() throws Exception {
    root = TestPki.root("bank.example");
    intermediate = TestPki.intermediate(root, "intermediate");
    verifier = new SvidVerifier("bank.example", List.of(root.certificate()));
  }

  @Test
  void aLeafUnderAnIntermediateProvesItsSpiffeId() throws Exception {
    Issued leaf = TestPki.leaf(intermediate, ORDERS);
    SpiffeId id =
        verifier.verify(List.of(leaf.certificate(), intermediate.certificate()), Instant.now());
    assertThat(id).isEqualTo(new SpiffeId("bank.example", "prod", "orders"));
  }

  @Test
  void theRootMayBeSentWithTheChain() throws Exception {
    Issued leaf = TestPki.leaf(intermediate, ORDERS);
    List<java.security.cert.X509Certificate> chain =
        List.of(leaf.certificate(), intermediate.certificate(), root.certificate());
    assertThat(verifier.verify(chain, Instant.now()).service()).isEqualTo("orders");
  }

  @Test
  void anyRootOfTheBundleIsTrustedDuringARotation() throws Exception {
    Issued newRoot = TestPki.root("bank.example");
    SvidVerifier both =
        new SvidVerifier("bank.example", List.of(root.certificate(), newRoot.certificate()));
    assertThat(both.verify(List.of(TestPki.leaf(newRoot, ORDERS).certificate()), Instant.now()))
        .isNotNull();
    assertThat(both.verify(List.of(TestPki.leaf(root, ORDERS).certificate()), Instant.now()))
        .isNotNull();
  }

  @Test
  void aMissingIntermediateLeavesTheLeafUntrusted() throws Exception {
    Issued leaf = TestPki.leaf(intermediate, ORDERS);
    assertRejected(List.of(leaf.certificate()), Instant.now(), Reason.UNTRUSTED);
  }

  @Test
  void aSelfSignedLeafIsUntrusted() throws Exception {
    Issued self = TestPki.root("bank.example");
    Issued leaf = TestPki.leaf(self, ORDERS);
    assertRejected(
        List.of(leaf.certificate(), self.certificate()), Instant.now(), Reason.UNTRUSTED);
  }

  @Test
  void anotherCaOfTheSameNameIsUntrusted() throws Exception {
    Issued impostor = TestPki.root("bank.example");
    Issued leaf = TestPki.leaf(impostor, ORDERS);
    assertRejected(List.of(leaf.certificate()), Instant.now(), Reason.UNTRUSTED);
  }

  @Test
  void expiredAndNotYetValidAreToldApart() throws Exception {
    Instant now = Instant.now();
    Issued leaf =
        TestPki.leaf(root, List.of(ORDERS), now.minusSeconds(7200), now.minusSeconds(3600));
    assertRejected(List.of(leaf.certificate()), now, Reason.EXPIRED);

    Issued future =
        TestPki.leaf(root, List.of(ORDERS), now.plusSeconds(3600), now.plusSeconds(7200));
    assertRejected(List.of(future.certificate()), now, Reason.NOT_YET_VALID);
  }

  @Test
  void theInstantOfTheCheckIsTheOneGiven() throws Exception {
    Instant now = Instant.now();
    Issued leaf = TestPki.leaf(root, List.of(ORDERS), now.minusSeconds(60), now.plusSeconds(60));
    assertThat(verifier.verify(List.of(leaf.certificate()), now)).isNotNull();
    assertRejected(List.of(leaf.certificate()), now.plusSeconds(120), Reason.EXPIRED);
  }

  @Test
  void aLeafWithoutASpiffeIdProvesNothing() throws Exception {
    Instant now = Instant.now();
    Issued none = TestPki.leaf(root, List.of(), now.minusSeconds(60), now.plusSeconds(3600));
    assertRejected(List.of(none.certificate()), now, Reason.NO_SPIFFE_ID);

    Issued notMesh = TestPki.leaf(root, "spiffe://bank.example/orders");
    assertRejected(List.of(notMesh.certificate()), now, Reason.NO_SPIFFE_ID);

    Issued https = TestPki.leaf(root, "https://bank.example/env/prod/svc/orders");
    assertRejected(List.of(https.certificate()), now, Reason.NO_SPIFFE_ID);
  }

  @Test
  void anotherTrustDomainIsRefusedEvenUnderOurRoot() throws Exception {
    Issued leaf = TestPki.leaf(root, "spiffe://other.example/env/prod/svc/orders");
    assertRejected(List.of(leaf.certificate()), Instant.now(), Reason.WRONG_TRUST_DOMAIN);
  }

  @Test
  void twoUriSansOrACaLeafAreMalformed() throws Exception {
    Instant now = Instant.now();
    Issued two =
        TestPki.leaf(
            root,
            List.of(ORDERS, "spiffe://bank.example/env/prod/svc/risk"),
            now.minusSeconds(60),
            now.plusSeconds(3600));
    assertRejected(List.of(two.certificate()), now, Reason.MALFORMED);

    Issued ca =
        TestPki.leaf(root, List.of(ORDERS), now.minusSeconds(60), now.plusSeconds(3600), true);
    assertRejected(List.of(ca.certificate()), now, Reason.MALFORMED);

    assertRejected(List.of(), now, Reason.MALFORMED);
  }

  @Test
  void theVerifierOfCredentialsUsesTheirDomainAndBundle() throws Exception {
    Issued leaf = TestPki.leaf(intermediate, ORDERS);
    WorkloadCredentials credentials =
        new WorkloadCredentials(
            SpiffeId.parse(ORDERS).orElseThrow(),
            leaf.keys().getPrivate(),
            List.of(leaf.certificate(), intermediate.certificate()),
            List.of(root.certificate()));
    SvidVerifier own = SvidVerifier.of(credentials);
    assertThat(own.trustDomain()).isEqualTo("bank.example");
    assertThat(own.verify(credentials.chain(), Instant.now())).isEqualTo(credentials.identity());
  }

  private static void assertRejected(
      List<java.security.cert.X509Certificate> chain, Instant at, Reason reason) {
    assertThatThrownBy(() -> verifier.verify(chain, at))
        .isInstanceOfSatisfying(
            SvidRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageNotContaining("null");
  }
}
