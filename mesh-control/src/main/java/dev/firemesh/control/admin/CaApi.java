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
import dev.firemesh.control.ca.Rotation;
import dev.firemesh.control.ca.RotationRefused;
import dev.firemesh.control.ca.SvidIssuance;
import dev.firemesh.identity.Pem;
import dev.firemesh.store.ca.CaRotation;
import dev.firemesh.store.ca.ConcurrentCaChange;
import dev.firemesh.store.ca.IssuedCertificates;
import dev.firemesh.store.ca.JoinToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The certificate authority on the admin API.
 *
 * <ul>
 *   <li>{@code POST /v1/svid}: workloads get and renew SVIDs. Open: the caller authenticates with a
 *       join token or its current SVID, never the admin token.
 *   <li>{@code GET /v1/trust-bundle}: the trusted roots as PEM. Open: roots are public.
 *   <li>{@code GET /v1/trust-domain}: the trust domain, which a workload needs to spell its SPIFFE
 *       ID in its first request. Open: it is in every SVID anyway.
 *   <li>{@code GET /v1/svid/status?bundle=<fingerprint>}: what a workload polls (at the pace it
 *       says) to keep its trust bundle current and to learn that its issuer no longer signs. The
 *       bundle's PEM only when it differs from the one the workload names, so the usual answer is
 *       two fingerprints. Open: nothing in it is secret.
 *   <li>{@code POST/GET /v1/tokens}, {@code DELETE /v1/tokens/{id}}, {@code GET /v1/ca}, {@code GET
 *       /metrics}, {@code POST /v1/ca/rotation/prepare|activate|finish}: operators, with the admin
 *       token.
 * </ul>
 */
public final class CaApi {
  private static final ObjectMapper JSON = AdminServer.JSON;
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final CertificateAuthority ca;
  private final JoinTokens tokens;
  private final SvidIssuance issuance;
  private final CaMetrics metrics;
  private final List<Supplier<String>> moreMetrics = new CopyOnWriteArrayList<>();
  private final Rotation rotation;
  private final Duration warnBefore;
  private final Clock clock;

  public CaApi(
      CertificateAuthority ca,
      JoinTokens tokens,
      SvidIssuance issuance,
      CaMetrics metrics,
      Rotation rotation,
      Duration warnBefore,
      Clock clock) {
    this.ca = ca;
    this.tokens = tokens;
    this.issuance = issuance;
    this.metrics = metrics;
    this.rotation = rotation;
    this.warnBefore = warnBefore;
    this.clock = clock;
  }

  public void registerOn(AdminServer server) {
    server
        .refuse(
            IssuanceRefused.class, e -> new ApiException(e.status(), e.reason(), e.getMessage()))
        .refuse(RotationRefused.class, e -> new ApiException(409, e.reason(), e.getMessage()))
        .refuse(
            ConcurrentCaChange.class,
            e -> new ApiException(409, "concurrent-change", e.getMessage()))
        .route("POST", "/v1/svid", AdminServer.Access.OPEN, this::svid)
        .route("GET", "/v1/svid/status", AdminServer.Access.OPEN, this::svidStatus)
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
        .route("POST", "/v1/ca/rotation/prepare", this::prepare)
        .route("POST", "/v1/ca/rotation/activate", r -> stepAnswer(rotation.activate(r.actor())))
        .route(
            "POST",
            "/v1/ca/rotation/finish",
            r -> stepAnswer(rotation.finish(r.json().path("force").asBoolean(false), r.actor())))
        .textRoute(
            "GET",
            "/metrics",
            AdminServer.Access.VIEWER,
            r -> new AdminServer.Text(PROMETHEUS_TEXT, metricsText()));
  }

  /**
   * Adds metric families (Prometheus text, each ending with a newline) to {@code /metrics}, after
   * the CA's: the control plane's other parts expose theirs on the same endpoint.
   */
  public CaApi alsoExpose(Supplier<String> families) {
    moreMetrics.add(families);
    return this;
  }

  private String metricsText() {
    StringBuilder text =
        new StringBuilder(metrics.exposition(ca.certificates(), ca.rotation(), clock.instant()));
    moreMetrics.forEach(m -> text.append(m.get()));
    return text.toString();
  }

  /**
   * The workload's poll. {@code activeIssuer} lets an agent whose chain another intermediate signed
   * renew early; the bundle's text comes only when the workload's is out of date.
   */
  private JsonNode svidStatus(AdminRequest request) {
    String fingerprint = ca.trustBundleFingerprint();
    ObjectNode answer =
        JSON.createObjectNode()
            .put("trustBundleFingerprint", fingerprint)
            .put("activeIssuer", ca.issuerFingerprint())
            .put("pollEverySeconds", agentPollEvery(rotation.bundlePropagation()).toSeconds())
            .put(
                "earlyRenewalWithinSeconds",
                agentEarlyRenewalWithin(rotation.bundlePropagation()).toSeconds());
    if (!request.queryParam("bundle").map(fingerprint::equals).orElse(false)) {
      answer.put("trustBundle", Pem.encodeCertificates(ca.trustBundle()));
    }
    return answer;
  }

  /**
   * How often workloads poll: often enough that a new root reaches all of them well within the
   * propagation time the operator waits before activating (four polls), and never more than every
   * 15 s nor less than every second.
   */
  static Duration agentPollEvery(Duration bundlePropagation) {
    return clamp(bundlePropagation.dividedBy(4), Duration.ofSeconds(1), Duration.ofSeconds(15));
  }

  /**
   * Over how long workloads spread their early renewals after a new intermediate starts signing: at
   * most a minute, so a fleet does not renew all at once, and no longer than the propagation time
   * (a mesh that propagates in seconds, a test's, also renews in seconds).
   */
  static Duration agentEarlyRenewalWithin(Duration bundlePropagation) {
    return clamp(bundlePropagation, Duration.ofSeconds(1), Duration.ofMinutes(1));
  }

  private static Duration clamp(Duration value, Duration min, Duration max) {
    return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
  }

  private JsonNode prepare(AdminRequest request) {
    JsonNode body = request.json();
    Optional<Rotation.Imported> imported = Optional.empty();
    if (body.hasNonNull("intermediateCertificate") || body.hasNonNull("intermediateKey")) {
      imported =
          Optional.of(
              new Rotation.Imported(
                  body.hasNonNull("rootCertificate")
                      ? Optional.of(text(body, "rootCertificate"))
                      : Optional.empty(),
                  text(body, "intermediateCertificate"),
                  text(body, "intermediateKey")));
    } else if (body.hasNonNull("rootCertificate")) {
      throw ApiException.badRequest(
          "body.rootCertificate needs body.intermediateCertificate and body.intermediateKey");
    }
    try {
      return stepAnswer(
          rotation.prepare(
              new Rotation.Prepare(body.path("root").asBoolean(false), imported, request.actor())));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private JsonNode stepAnswer(Rotation.Outcome outcome) {
    ObjectNode answer =
        JSON.createObjectNode().put("changed", outcome.changed()).put("message", outcome.message());
    answer.set("rotation", rotationNode());
    return answer;
  }

  /** The rotation under way, as this replica last loaded it (at most seconds behind the store). */
  private JsonNode rotationNode() {
    Optional<CaRotation> under = ca.rotation();
    ObjectNode node = JSON.createObjectNode();
    if (under.isEmpty()) {
      return node.put("stage", "none");
    }
    CaRotation r = under.get();
    node.put("stage", r.stage().text())
        .put("oldIntermediate", r.oldIntermediate())
        .put("newIntermediate", r.newIntermediate())
        .put("preparedAt", r.preparedAt().toString())
        .put("preparedBy", r.preparedBy());
    r.oldRoot().ifPresent(v -> node.put("oldRoot", v));
    r.newRoot().ifPresent(v -> node.put("newRoot", v));
    if (r.stage() == CaRotation.Stage.PREPARED) {
      node.put("activatableAt", rotation.activatableAt(r).toString());
      node.put("next", "activate");
    } else {
      r.activatedAt().ifPresent(v -> node.put("activatedAt", v.toString()));
      IssuedCertificates.Live live = rotation.oldSvids(r);
      node.put("oldSvidsLive", live.count());
      live.lastNotAfter().ifPresent(v -> node.put("oldSvidsUntil", v.toString()));
      node.put("next", "finish");
    }
    return node;
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
    answer.set("rotation", rotationNode());
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
