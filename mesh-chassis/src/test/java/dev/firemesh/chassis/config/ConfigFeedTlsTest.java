package dev.firemesh.chassis.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.identity.WorkloadSslContext;
import dev.firemesh.xds.server.ControlPlaneTls;
import dev.firemesh.xds.translate.NodeIdentity;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feed over TLS, presenting the workload's SVID as the control plane requires. */
class ConfigFeedTlsTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @Test
  void speaksTlsWithTheWorkloadsSvid() throws Exception {
    Instant now = Instant.now();
    CertificateIssuer root =
        CertificateIssuer.selfSignedRoot(KeyPairs.generate(), "CN=Root", now, Duration.ofDays(1));
    SpiffeId orders = new SpiffeId("bank.example", "prod", "orders");
    KeyPair keys = KeyPairs.generate();
    WorkloadCredentials credentials =
        new WorkloadCredentials(
            orders,
            keys.getPrivate(),
            List.of(root.issueSvid(keys.getPublic(), orders, now, HOUR), root.certificate()),
            List.of(root.certificate()));

    try (RtdsTestServer rtds =
        RtdsTestServer.startTls(ControlPlaneTls.serverContext(root, root.certificate()))) {
      rtds.publish(
          4, "{\"maxOrderQuantity\":42,\"apiKey\":\"file:/run/secrets/orders-api-key\"}", "{}");

      try (ConfigFeed<OrdersConfig> feed =
          ConfigFeed.builder(ConfigBinder.of(OrdersConfig.class, OrdersConfig.DEFAULTS))
              .server("127.0.0.1", rtds.port())
              .node(new NodeIdentity("orders-1", "orders", "eu-west", "a"))
              .tls(WorkloadSslContext.following(() -> credentials))
              .startTimeout(Duration.ofSeconds(30))
              .start()) {

        assertThat(feed.origin()).isEqualTo(ConfigOrigin.CONTROL_PLANE);
        assertThat(feed.config().get().maxOrderQuantity()).isEqualTo(42);
        assertThat(rtds.clientSubjects()).isNotEmpty().allMatch(s -> s.contains(orders.toString()));
      }
    }
  }
}
