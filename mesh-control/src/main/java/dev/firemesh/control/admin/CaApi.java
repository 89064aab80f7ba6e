package dev.firemesh.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.control.ca.CaMetrics;
import dev.firemesh.control.ca.CertificateAuthority;
import dev.firemesh.control.ca.ExpiryWatch;
import dev.firemesh.control.ca.IssuanceRefused;
import dev.firemesh.control.ca.JoinTokens;
import dev.firemesh.control.ca.SvidIssuance;
import dev.firemesh.identity.Pem;
import dev.firemesh.store.ca.JoinToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The certificate authority on the admin API.
 *
 * <ul>
 *   <li>{@code POST /v1/svid}: workloads get and renew SVIDs. Open: the caller authenticates with a
 *       join token or its current SVID, never the admin token.
 *   <li>{@code GET /v1/trust-bundle}: the trusted roots as PEM. Open: roots are public.
 *   <li>{@code GET /v1/trust-domain}: the trust domain, which a workload needs to spell its SPIFFE
 *       ID in its first request. Open: it is in every SVID anyway.
 *   <li>{@code POST/GET /v1/tokens}, {@code DELETE /v1/tokens/{id}}, {@code GET /v1/ca}, {@code GET
 *       /metrics}: operators, with the admin token.
 * </ul>
 */
public final class CaApi {
  private static final ObjectMapper JSON = AdminServer.JSON;
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final CertificateAuthority ca;
  private final JoinTokens tokens;
  private final SvidIssuance issuance;
  private final CaMetrics metrics;
  private final Duration warnBefore;
  private final Clock clock;

  public CaApi(
      CertificateAuthority ca,
      JoinTokens tokens,
      SvidIssuance issuance,
      CaMetrics metrics,
      Duration warnBefore,
      Clock clock) {
    this.ca = ca;
    this.tokens = tokens;
    this.issuance = issuance;
    this.metrics = metrics;
    this.warnBefore = warnBefore;
    this.clock = clock;
  }

  public void registerOn(AdminServer server) {
    server
        .refuse(
            IssuanceRefused.class, e -> new ApiException(e.status(), e.reason(), e.getMessage()))
        .route("POST", "/v1/svid", AdminServer.Access.OPEN, this::svid)
        .textRoute(
            "GET",
            "/v1/trust-bundle",
            AdminServer.Access.OPEN,
            r ->
                new AdminServer.Text(
                    "application/x-pem-file", Pem.encodeCertificates(ca.trustBundle())))
        .route(
            "GET",
            "/v1/trust-domain",
            AdminServer.Access.OPEN,
            r -> JSON.createObjectNode().put("trustDomain", ca.trustDomain()))
        .route("POST", "/v1/tokens", this::createToken)
        .route("GET", "/v1/tokens", r -> listTokens())
        .route("DELETE", "/v1/tokens/{id}", this::revokeToken)
        .route("GET", "/v1/ca", r -> status())
        .textRoute(
            "GET",
            "/metrics",
            AdminServer.Access.VIEWER,
            r ->
                new AdminServer.Text(
                    PROMETHEUS_TEXT, metrics.exposition(ca.certificates(), clock.instant())));
  }

  private JsonNode svid(AdminRequest request) {
    JsonNode body = request.json();
    JsonNode csr = body.path("csr");
    if (!csr.isTextual()) {
      throw ApiException.badRequest("body.csr must be a PEM certificate request (text)");
    }
    JsonNode proof = body.path("proof");
    CertificateAuthority.IssuedSvid issued =
        issuance.issue(
            new SvidIssuance.Request(
                request.header("Authorization"),
                csr.asText(),
                proof.isTextual() ? Optional.of(proof.asText()) : Optional.empty()));
    return JSON.createObjectNode()
        .put("spiffeId", issued.identity().toString())
        .put("certificateChain", Pem.encodeCertificates(issued.chain()))
        .put("trustBundle", Pem.encodeCertificates(issued.trustBundle()))
        .put("notAfter", issued.leaf().getNotAfter().toInstant().toString())
        .put("renewAfter", issued.renewAfter().toString());
  }

  private JsonNode createToken(AdminRequest request) {
    JsonNode body = request.json();
    String service = text(body, "service");
    String env = text(body, "env");
    long ttlSeconds = whole(body, "ttlSeconds", JoinTokens.DEFAULT_TTL.toSeconds());
    long uses = whole(body, "uses", 1);
    JoinTokens.Created created =
        tokens.create(
            service,
            env,
            Duration.ofSeconds(ttlSeconds),
            (int) Math.min(Integer.MAX_VALUE, uses),
            request.actor());
    JoinToken stored = created.stored();
    return JSON.createObjectNode()
        .put("id", stored.id())
        .put("token", created.token())
        .put("service", stored.service())
        .put("env", stored.env())
        .put("expiresAt", stored.expiresAt().toString())
        .put("uses", stored.maxUses());
  }

  private JsonNode listTokens() {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("items");
    Instant now = clock.instant();
    tokens.list().forEach(t -> items.add(token(t, now)));
    return answer;
  }

  private JsonNode revokeToken(AdminRequest request) {
    String id = request.param("id");
    return tokens
        .revoke(id)
        .map(t -> token(t, clock.instant()))
        .orElseThrow(() -> ApiException.notFound("join token " + id + " does not exist"));
  }

  private JsonNode status() {
    ObjectNode answer =
        JSON.createObjectNode()
            .put("trustDomain", ca.trustDomain())
            .put("svidTtlSeconds", ca.svidTtl().toSeconds());
    ArrayNode items = answer.putArray("items");
    int warnings = 0;
    List<ExpiryWatch.Standing> standings =
        ExpiryWatch.standings(ca.certificates(), warnBefore, clock.instant());
    for (ExpiryWatch.Standing s : standings) {
      ObjectNode item =
          items
              .addObject()
              .put("role", s.certificate().role().name().toLowerCase(Locale.ROOT))
              .put("subject", s.certificate().subject())
              .put("serial", s.certificate().serial())
              .put("fingerprint", s.certificate().fingerprint())
              .put("notBefore", s.certificate().notBefore().toString())
              .put("notAfter", s.certificate().notAfter().toString())
              .put("state", s.certificate().state().name().toLowerCase(Locale.ROOT))
              .put("daysLeft", s.daysLeft())
              .put(
                  "keyStored",
                  s.certificate().key() instanceof dev.firemesh.store.ca.StoredKey.Sealed);
      ArrayNode list = item.putArray("warnings");
      s.warning().ifPresent(list::add);
      warnings += s.warning().isPresent() ? 1 : 0;
    }
    answer.put("warnings", warnings);
    return answer;
  }

  private static ObjectNode token(JoinToken t, Instant now) {
    String state =
        t.revokedAt().isPresent()
            ? "revoked"
            : t.uses() >= t.maxUses()
                ? "used-up"
                : t.expiresAt().isAfter(now) ? "active" : "expired";
    ObjectNode node =
        JSON.createObjectNode()
            .put("id", t.id())
            .put("service", t.service())
            .put("env", t.env())
            .put("state", state)
            .put("expiresAt", t.expiresAt().toString())
            .put("uses", t.uses())
            .put("maxUses", t.maxUses())
            .put("createdBy", t.createdBy())
            .put("createdAt", t.createdAt().toString());
    t.revokedAt().ifPresent(r -> node.put("revokedAt", r.toString()));
    return node;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.path(field);
    if (!node.isTextual() || node.asText().isEmpty()) {
      throw ApiException.badRequest("body." + field + " is required (text)");
    }
    return node.asText();
  }

  private static long whole(JsonNode body, String field, long defaultValue) {
    JsonNode node = body.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return defaultValue;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw ApiException.badRequest("body." + field + " must be a whole number, got " + node);
    }
    return node.asLong();
  }
}
