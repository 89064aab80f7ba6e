package dev.firemesh.workload.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.identity.SvidVerifier;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.admin.ClientTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload's side of identity against a real control plane (embedded PostgreSQL): enrolment
 * with a join token, renewal by proof of possession, and what a refused token looks like.
 */
class IdentityAgentTest {
  @TempDir static Path dataDir;
  private static ControlPlane plane;
  private static AdminHttp http;

  @BeforeAll
  static void start() throws java.io.IOException {
    plane = ControlPlane.start(ControlPlane.Options.defaults(dataDir).withPorts(0, 0));
    // The bootstrap admin, as the CLI's AdminClient.bootstrapAdmin reaches it.
    http =
        new AdminHttp(
            URI.create(plane.adminUrl()),
            Optional.of(ControlPlaneFiles.readToken(dataDir.resolve(ControlPlaneFiles.TOKEN))),
            Optional.of(
                ClientTls.load(
                    dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE),
                    Optional.empty(),
                    Optional.empty())));
  }

  @AfterAll
  static void stop() {
    plane.close();
  }

  @Test
  void enrolsWithATokenAndRenewsWithANewKeyByProvingTheOldOne() throws Exception {
    SpiffeId id = new SpiffeId(IdentityAgent.trustDomain(http), "prod", "orders");
    assertThat(id.toString()).isEqualTo("spiffe://firemesh.local/env/prod/svc/orders");
    try (IdentityAgent agent = IdentityAgent.enrol(http, id, token("orders"), Clock.systemUTC())) {
      WorkloadCredentials first = agent.credentials();
      assertThat(SvidVerifier.of(first).verify(first.chain(), Instant.now())).isEqualTo(id);

      IdentityAgent.Issued renewed =
          IdentityAgent.renew(http, new IdentityAgent.Issued(first, Instant.now()));
      WorkloadCredentials second = renewed.credentials();
      assertThat(second.identity()).isEqualTo(id);
      assertThat(second.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
      assertThat(second.leaf().getPublicKey()).isNotEqualTo(first.leaf().getPublicKey());
      assertThat(renewed.renewAfter()).isBefore(second.notAfter()).isAfter(Instant.now());
    }
  }

  @Test
  void thePollSendsTheBundleOnlyWhenItChangedAndNamesTheSigningIntermediate() throws Exception {
    SpiffeId id = new SpiffeId(IdentityAgent.trustDomain(http), "prod", "gateway");
    try (IdentityAgent agent = IdentityAgent.enrol(http, id, token("gateway"), Clock.systemUTC())) {
      WorkloadCredentials held = agent.credentials();
      IdentityAgent.SvidStatus current = IdentityAgent.poll(http, held);
      assertThat(current.trustBundle()).as("the bundle held is current").isEmpty();
      assertThat(current.activeIssuer()).isEqualTo(IdentityAgent.issuerOf(held));

      // A workload holding another bundle (here: its own chain's intermediate as "root") gets the
      // control plane's.
      WorkloadCredentials stale =
          new WorkloadCredentials(
              id, held.privateKey(), held.chain(), java.util.List.of(held.chain().get(1)));
      assertThat(IdentityAgent.poll(http, stale).trustBundle())
          .hasValueSatisfying(b -> assertThat(b).isEqualTo(held.trustBundle()));
    }
  }

  @Test
  void aTokenForAnotherServiceIsRefusedNamingBothIdentities() {
    SpiffeId risk = new SpiffeId(IdentityAgent.trustDomain(http), "prod", "risk");
    String ordersToken = token("orders");
    assertThatThrownBy(() -> IdentityAgent.enrol(http, risk, ordersToken, Clock.systemUTC()))
        .isInstanceOf(AdminCallException.class)
        .hasMessageContaining("spiffe://firemesh.local/env/prod/svc/risk")
        .hasMessageContaining("spiffe://firemesh.local/env/prod/svc/orders")
        .satisfies(e -> assertThat(((AdminCallException) e).status()).isEqualTo(403));
  }

  private static String token(String service) {
    byte[] answer =
        http.call(
            "POST",
            "/v1/tokens",
            dev.firemesh.workload.admin.PlainJson.compact(
                    Map.of("service", service, "env", "prod", "ttlSeconds", 600, "uses", 1))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return (String)
        dev.firemesh.workload.admin.PlainJson.member(
            dev.firemesh.workload.admin.PlainJson.parse(
                new String(answer, java.nio.charset.StandardCharsets.UTF_8)),
            "token");
  }
}
