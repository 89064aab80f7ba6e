package dev.firemesh.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.control.operator.OperatorExistsException;
import dev.firemesh.control.operator.Operators;
import dev.firemesh.control.operator.Role;
import dev.firemesh.identity.CertificateRequestRefused;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.Pem;
import dev.firemesh.store.operator.StoredOperator;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Operators on the admin API, for admins only.
 *
 * <ul>
 *   <li>{@code POST /v1/operators}: a new operator with a role; the answer carries its token, the
 *       only time it is shown.
 *   <li>{@code GET /v1/operators}, {@code DELETE /v1/operators/{name}}: list, revoke.
 *   <li>{@code POST /v1/operators/{name}/certificate}: a client certificate for the operator's own
 *       key (a CSR), signed by the mesh CA, naming {@code spiffe://<td>/operator/<name>}.
 * </ul>
 */
public final class OperatorApi {
  private static final ObjectMapper JSON = AdminServer.JSON;
  public static final Duration DEFAULT_CERTIFICATE_TTL = Duration.ofDays(30);
  public static final Duration MAX_CERTIFICATE_TTL = Duration.ofDays(366);

  private final Operators operators;
  private final TlsAuthority authority;
  private final Clock clock;

  public OperatorApi(Operators operators, TlsAuthority authority, Clock clock) {
    this.operators = operators;
    this.authority = authority;
    this.clock = clock;
  }

  public void registerOn(AdminServer server) {
    server
        .refuse(
            OperatorExistsException.class, e -> new ApiException(409, "conflict", e.getMessage()))
        .route("POST", "/v1/operators", this::create)
        .route("GET", "/v1/operators", r -> list())
        .route("DELETE", "/v1/operators/{name}", this::revoke)
        .route("POST", "/v1/operators/{name}/certificate", this::certificate);
  }

  private JsonNode create(AdminRequest request) {
    JsonNode body = request.json();
    if (!body.path("name").isTextual() || !body.path("role").isTextual()) {
      throw ApiException.badRequest("body needs a text name and a role (viewer, operator, admin)");
    }
    Optional<Duration> ttl =
        body.hasNonNull("ttlSeconds")
            ? Optional.of(Duration.ofSeconds(body.path("ttlSeconds").asLong(0)))
            : Optional.empty();
    Operators.Created created =
        operators.create(
            body.get("name").asText(),
            Role.parse(body.get("role").asText()),
            ttl,
            request.principal());
    return describe(created.stored()).put("token", created.token());
  }

  private JsonNode list() {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("items");
    Instant now = clock.instant();
    operators.list().forEach(o -> items.add(describe(o).put("state", state(o, now))));
    return answer;
  }

  private JsonNode revoke(AdminRequest request) {
    return operators
        .revoke(request.param("name"), request.principal())
        .map(o -> describe(o).put("state", "revoked"))
        .orElseThrow(() -> ApiException.notFound("no operator " + request.param("name")));
  }

  private JsonNode certificate(AdminRequest request) {
    String name = request.param("name");
    JsonNode body = request.json();
    if (!body.path("csr").isTextual()) {
      throw ApiException.badRequest("body.csr must be a PEM certificate request (text)");
    }
    Duration ttl =
        Duration.ofSeconds(body.path("ttlSeconds").asLong(DEFAULT_CERTIFICATE_TTL.toSeconds()));
    if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(MAX_CERTIFICATE_TTL) > 0) {
      throw ApiException.badRequest(
          "ttl must be between 1 minute and 366 days, got " + ttl.toSeconds() + " s");
    }
    PublicKey key;
    try {
      key = CertificateRequests.readKey(Pem.decodeCertificateRequest(body.get("csr").asText()));
    } catch (CertificateRequestRefused e) {
      throw ApiException.badRequest("body.csr: " + e.getMessage());
    }
    String identity = operators.certificateIdentity(name);
    // Recorded first: a certificate is never signed for an operator that is not live.
    operators
        .recordCertificate(name, request.principal())
        .orElseThrow(() -> ApiException.notFound("no live operator " + name));
    List<X509Certificate> chain =
        authority.sign((issuer, now) -> issuer.issueClientCertificate(key, identity, now, ttl));
    return JSON.createObjectNode()
        .put("name", name)
        .put("identity", identity)
        .put("certificateChain", Pem.encodeCertificates(chain))
        .put("trustBundle", Pem.encodeCertificates(authority.trustBundle()))
        .put("notAfter", chain.getFirst().getNotAfter().toInstant().toString());
  }

  private static String state(StoredOperator o, Instant now) {
    if (o.revokedAt().isPresent()) {
      return "revoked";
    }
    return o.liveAt(now) ? "active" : "expired";
  }

  private static ObjectNode describe(StoredOperator o) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("name", o.name())
            .put("role", o.role())
            .put("createdBy", o.createdBy())
            .put("createdAt", o.createdAt().toString());
    o.expiresAt().ifPresent(t -> node.put("expiresAt", t.toString()));
    o.certificateIdentity().ifPresent(c -> node.put("certificateIdentity", c));
    o.revokedAt().ifPresent(t -> node.put("revokedAt", t.toString()));
    o.revokedBy().ifPresent(b -> node.put("revokedBy", b));
    return node;
  }
}
