package dev.firemesh.bench.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The admin API calls the benchmark makes: {@code POST /v1/apply}, the same call {@code firemesh
 * apply -f FILE} makes (the files' text, a message, the bearer token), {@code GET /v1/version} to
 * see which revision the xDS server serves, and the calls that get a simulated service its SVID as
 * a sidecar started by an operator gets one ({@code POST /v1/tokens} on the operator's token, then
 * {@code POST /v1/svid} on the join token). Blocking; one caller at a time.
 */
final class ApplyClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** What an apply answered. */
  record Applied(long revision, boolean unchanged) {}

  private final URI admin;
  private final String token;
  private final HttpClient http;

  /**
   * @param caBundle PEM roots the admin API's certificate chains to; required for {@code https://}
   * @throws UncheckedIOException if the bundle cannot be read
   */
  ApplyClient(URI admin, String token, Optional<Path> caBundle) {
    this.admin = admin;
    this.token = token;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5));
    if (caBundle.isPresent()) {
      builder.sslContext(trusting(caBundle.get()));
    }
    this.http = builder.build();
  }

  /** TLS that trusts the mesh's roots only, never the JDK's public ones. */
  private static SSLContext trusting(Path bundle) {
    try (InputStream in = Files.newInputStream(bundle)) {
      KeyStore roots = KeyStore.getInstance("PKCS12");
      roots.load(null, null);
      int i = 0;
      for (Certificate root : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        roots.setCertificateEntry("root-" + i++, root);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
      trust.init(roots);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new UncheckedIOException(
          new IOException("cannot trust the roots in " + bundle + ": " + e.getMessage(), e));
    }
  }

  /**
   * Applies one YAML file as one revision.
   *
   * @throws AdminCallException if the control plane refuses it or cannot be reached
   */
  Applied apply(String fileName, String yaml, String message) throws InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("files").addObject().put("name", fileName).put("content", yaml);
    body.put("message", message);
    JsonNode answer = send(request("/v1/apply").POST(publisher(body)), "apply " + fileName);
    return new Applied(answer.path("revision").asLong(), answer.path("unchanged").asBoolean());
  }

  /** Deletes a resource, as {@code firemesh delete KIND NAME} does; true if it existed. */
  boolean delete(String kind, String name) throws InterruptedException {
    try {
      send(request("/v1/resources/" + kind + "/" + name).DELETE(), "delete " + kind + "/" + name);
      return true;
    } catch (AdminCallException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The xDS nodes the control plane knows ({@code GET /v1/xds/nodes}): connected ones and, for a
   * few minutes, disconnected ones, which still get a snapshot on every change.
   */
  int knownNodes() throws InterruptedException {
    return send(request("/v1/xds/nodes").GET(), "xds nodes").path("items").size();
  }

  /** The mesh's trust domain ({@code GET /v1/trust-domain}), which a SPIFFE ID is spelt with. */
  String trustDomain() throws InterruptedException {
    String domain =
        send(request("/v1/trust-domain").GET(), "trust domain").path("trustDomain").asText();
    if (domain.isEmpty()) {
      throw new AdminCallException(200, "trust domain: the admin API's answer names none");
    }
    return domain;
  }

  /**
   * A join token for one enrolment of {@code service} in {@code env} ({@code POST /v1/tokens}, one
   * use, short-lived), issued on the operator's token and audited like any other.
   */
  String joinToken(String service, String env, Duration ttl) throws InterruptedException {
    ObjectNode body = JSON.createObjectNode();
    body.put("service", service).put("env", env).put("ttlSeconds", ttl.toSeconds()).put("uses", 1);
    String token =
        send(request("/v1/tokens").POST(publisher(body)), "join token for " + service)
            .path("token")
            .asText();
    if (token.isEmpty()) {
      throw new AdminCallException(200, "join token for " + service + ": the answer has none");
    }
    return token;
  }

  /**
   * Has the control plane sign a certificate request ({@code POST /v1/svid}) on the strength of a
   * join token: no bearer token, as for a workload. Answers {@code certificateChain}, {@code
   * trustBundle} (PEM) and more; see docs/reference/admin-api.md.
   */
  JsonNode issueSvid(String joinToken, String csrPem) throws InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("csr", csrPem);
    return send(
        HttpRequest.newBuilder(admin.resolve("/v1/svid"))
            .timeout(TIMEOUT)
            .header("Authorization", "JoinToken " + joinToken)
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .POST(publisher(body)),
        "SVID");
  }

  /** The store revision the xDS server is serving ({@code xdsRevision}). */
  long servingRevision() throws InterruptedException {
    return send(request("/v1/version").GET(), "version").path("xdsRevision").asLong(-1);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(admin.resolve(path))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token)
        .header("Accept", "application/json")
        .header("Content-Type", "application/json")
        .header("X-FireMesh-Actor", "fanout-benchmark");
  }

  private static HttpRequest.BodyPublisher publisher(JsonNode body) {
    try {
      return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private JsonNode send(HttpRequest.Builder request, String what) throws InterruptedException {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new AdminCallException(0, what + ": cannot reach the admin API at " + admin + ": " + e);
    }
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() / 100 != 2) {
      throw new AdminCallException(
          response.statusCode(),
          what + ": the admin API answered " + response.statusCode() + ": " + text.strip());
    }
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AdminCallException(
          response.statusCode(), what + ": the admin API answered with no JSON: " + text.strip());
    }
  }

  /** A refused or failed admin API call. */
  static final class AdminCallException extends RuntimeException {
    private final int status;

    AdminCallException(int status, String message) {
      super(message);
      this.status = status;
    }

    /** The HTTP status; 0 when no answer came. */
    int status() {
      return status;
    }
  }
}
