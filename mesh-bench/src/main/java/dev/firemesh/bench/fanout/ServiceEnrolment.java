package dev.firemesh.bench.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.WorkloadCredentials;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Gets a simulated service its SVID the way {@code firemesh proxy} gets its own when started on an
 * operator's credentials: a one-use join token asked for with the admin token, a key pair generated
 * here (the private key never leaves this process), a certificate request for {@code
 * spiffe://<trust-domain>/env/bench/svc/<service>}, and {@code POST /v1/svid} on the join token.
 *
 * <p>No renewal: a round enrols afresh and lasts minutes, an SVID an hour, and its connections
 * shake hands when the fleet connects.
 */
final class ServiceEnrolment {
  /**
   * The environment in the simulated sidecars' SPIFFE IDs: the control plane checks the service.
   */
  static final String ENV = "bench";

  private static final Duration TOKEN_TTL = Duration.ofMinutes(5);

  private final ApplyClient admin;

  ServiceEnrolment(ApplyClient admin) {
    this.admin = admin;
  }

  /**
   * A fresh SVID for {@code service}.
   *
   * @throws ApplyClient.AdminCallException if the control plane refuses the token or the request,
   *     or cannot be reached
   * @throws IllegalStateException if its answer carries no certificates that parse
   */
  WorkloadCredentials enrol(String service) throws InterruptedException {
    SpiffeId identity = new SpiffeId(admin.trustDomain(), ENV, service);
    KeyPair keys = KeyPairs.generate();
    String csr = Pem.encodeCertificateRequest(CertificateRequests.create(keys, identity));
    JsonNode issued = admin.issueSvid(admin.joinToken(service, ENV, TOKEN_TTL), csr);
    return new WorkloadCredentials(
        identity,
        keys.getPrivate(),
        certificates(issued, "certificateChain"),
        certificates(issued, "trustBundle"));
  }

  private static List<X509Certificate> certificates(JsonNode answer, String field) {
    try {
      return Pem.decodeCertificates(answer.path(field).asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "the control plane's SVID answer has no " + field + " that parses: " + e.getMessage(), e);
    }
  }
}
