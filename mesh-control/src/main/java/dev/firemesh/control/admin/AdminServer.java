package dev.firemesh.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.control.operator.Authenticator;
import dev.firemesh.control.operator.Principal;
import dev.firemesh.control.operator.Role;
import dev.firemesh.identity.SvidRejectedException;
import dev.firemesh.identity.SvidVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's HTTPS server: JSON in and out, one virtual thread per call. Every call is
 * authenticated before its handler runs, to a {@link Principal}: an operator by bearer token (the
 * bootstrap {@code admin.token} or an operator's) or by client certificate, a workload by its SVID
 * as client certificate, or nobody. Each route says who may call it ({@link Access}); a caller
 * without credentials gets 401, one whose role is too low 403 naming the role needed. Routes are
 * registered by the API classes, and so are the exceptions their handlers may throw for expected
 * refusals ({@link #refuse}): the mapping to a 4xx answer is made here, once, for every route.
 * Anything else is a 500.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  static final ObjectMapper JSON = AdminJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** Handles one call; returns the JSON answer with status 200, or throws {@link ApiException}. */
  @FunctionalInterface
  public interface Handler {
    JsonNode handle(AdminRequest request);
  }

  /** An answer that is not JSON: PEM, Prometheus exposition text. */
  public record Text(String contentType, String body) {}

  /** Handles one call; returns the text answer with status 200, or throws {@link ApiException}. */
  @FunctionalInterface
  public interface TextHandler {
    Text handle(AdminRequest request);
  }

  /**
   * An answer with headers of its own, for the browser's routes: the dashboard's files (their
   * security headers, a redirect to the login page) and sessions (their cookie).
   */
  public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Reply {
      headers = Map.copyOf(headers);
    }
  }

  /** Handles one call with a {@link Reply}, or throws {@link ApiException}. */
  @FunctionalInterface
  public interface ReplyHandler {
    Reply handle(AdminRequest request);
  }

  /**
   * An answer written over time (server-sent events): status 200 and the content type go out first,
   * chunked, then {@code writer} runs on the call's virtual thread until it returns.
   */
  public record Streamed(String contentType, StreamWriter writer) {}

  /** Writes a streamed answer; each {@code flush} sends what was written so far. */
  @FunctionalInterface
  public interface StreamWriter {
    /**
     * @param out the answer's body; a write throws once the client has gone
     * @param closing tells the writer the server is closing, so it returns rather than waits
     */
    void write(OutputStream out, Closing closing) throws IOException;
  }

  /** The server's closing, as a writer of a streamed answer sees it. */
  @FunctionalInterface
  public interface Closing {
    /**
     * Waits up to {@code pause}; false as soon as the server begins to close (the writer should
     * then return), true when the pause ran out with the server still open.
     */
    boolean pause(Duration pause);
  }

  /**
   * Handles one call; returns the streamed answer (validation first: a refusal thrown here is still
   * an ordinary 4xx), or throws {@link ApiException}.
   */
  @FunctionalInterface
  public interface StreamedHandler {
    Streamed handle(AdminRequest request);
  }

  /** Who may call a route. */
  public enum Access {
    /**
     * Anyone who reaches the port. The handler authenticates the caller itself (a workload asking
     * for an SVID shows a join token or its current SVID), or the answer is public (the trust
     * bundle).
     */
    OPEN,
    /** Operators of any role: reads. */
    VIEWER,
    /** Operators with role operator or admin: changes to the mesh. */
    OPERATOR,
    /** Operators with role admin: credentials, operators, the CA. */
    ADMIN,
    /**
     * Operators with role operator or admin, or a workload by its certificate: registering,
     * renewing and deregistering instances, sending spans. The handler keeps a workload to its own
     * service.
     */
    OPERATOR_OR_WORKLOAD;

    /** The role an operator needs; empty for {@link #OPEN}. */
    Optional<Role> role() {
      return switch (this) {
        case OPEN -> Optional.empty();
        case VIEWER -> Optional.of(Role.VIEWER);
        case OPERATOR, OPERATOR_OR_WORKLOAD -> Optional.of(Role.OPERATOR);
        case ADMIN -> Optional.of(Role.ADMIN);
      };
    }
  }

  private record Route(
      String method, String[] segments, Access access, Function<AdminRequest, Answer> responder) {}

  /** How one type of exception thrown by a handler becomes a refusal. */
  private record Refusal<E extends RuntimeException>(
      Class<E> type, Function<? super E, ApiException> toRefusal) {
    Optional<ApiException> of(RuntimeException e) {
      return type.isInstance(e) ? Optional.of(toRefusal.apply(type.cast(e))) : Optional.empty();
    }
  }

  /**
   * A whole answer with any headers of its own, or (with a writer other than {@link #WHOLE}) a
   * streamed one.
   */
  private record Answer(
      int status,
      String contentType,
      byte[] body,
      Map<String, String> headers,
      StreamWriter stream) {
    static final StreamWriter WHOLE = (out, closing) -> {};

    Answer(int status, String contentType, byte[] body) {
      this(status, contentType, body, Map.of(), WHOLE);
    }

    static Answer json(int status, JsonNode body) {
      try {
        return new Answer(status, "application/json", JSON.writeValueAsBytes(body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final List<Refusal<?>> refusals = new CopyOnWriteArrayList<>();
  private final AdminToken bootstrap;
  private final BrowserSessions sessions = new BrowserSessions(Clock.systemUTC());
  private final int maxBodyBytes;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  // Counted down by close(): streamed answers end instead of holding the executor open.
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger streaming = new AtomicInteger();
  // Set by start(): the CA and the operators need the store, which starts after the port is taken.
  private volatile Authenticator operators = Authenticator.NOBODY;
  private volatile AdminTls tls;
  private HttpsServer server;
  private boolean started;

  /**
   * @param bootstrap the token in {@code <data-dir>/admin.token}: the bootstrap admin
   */
  public AdminServer(AdminToken bootstrap) {
    this(bootstrap, MAX_BODY_BYTES);
  }

  AdminServer(AdminToken bootstrap, int maxBodyBytes) {
    this.bootstrap = bootstrap;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Registers a route for admins; {@code pattern} segments in braces, like {@code {name}}, are
   * parameters. A route that does not say who may call it is for admins only.
   */
  public AdminServer route(String method, String pattern, Handler handler) {
    return route(method, pattern, Access.ADMIN, handler);
  }

  /** Registers a JSON route with the given access. */
  public AdminServer route(String method, String pattern, Access access, Handler handler) {
    return add(method, pattern, access, r -> Answer.json(200, handler.handle(r)));
  }

  /** Registers a route that answers text (its handler says the content type). */
  public AdminServer textRoute(String method, String pattern, Access access, TextHandler handler) {
    return add(
        method,
        pattern,
        access,
        r -> {
          Text text = handler.handle(r);
          return new Answer(200, text.contentType(), text.body().getBytes(StandardCharsets.UTF_8));
        });
  }

  /** Registers a route whose handler sets the status and headers of its answer. */
  public AdminServer replyRoute(
      String method, String pattern, Access access, ReplyHandler handler) {
    return add(
        method,
        pattern,
        access,
        r -> {
          Reply reply = handler.handle(r);
          return new Answer(
              reply.status(), reply.contentType(), reply.body(), reply.headers(), Answer.WHOLE);
        });
  }

  /**
   * Registers a route whose answer is written over time, such as server-sent events. The writer
   * holds one virtual thread and one connection for as long as it runs; it ends when it returns,
   * when the client goes (a write fails) or when the server closes.
   */
  public AdminServer streamedRoute(
      String method, String pattern, Access access, StreamedHandler handler) {
    return add(
        method,
        pattern,
        access,
        r -> {
          Streamed streamed = handler.handle(r);
          return new Answer(200, streamed.contentType(), new byte[0], Map.of(), streamed.writer());
        });
  }

  private AdminServer add(
      String method, String pattern, Access access, Function<AdminRequest, Answer> responder) {
    routes.add(new Route(method, pattern.substring(1).split("/"), access, responder));
    return this;
  }

  /**
   * Declares that a handler throwing {@code type} was refused, not broken: the call is answered
   * with the {@link ApiException} made from it. The first declaration that matches wins.
   */
  public <E extends RuntimeException> AdminServer refuse(
      Class<E> type, Function<? super E, ApiException> toRefusal) {
    refusals.add(new Refusal<>(type, toRefusal));
    return this;
  }

  /**
   * Takes the port, so a busy one fails here, before anything slow starts. Calls that arrive before
   * {@link #start()} wait in the backlog.
   *
   * @throws java.net.BindException if the address is in use
   */
  public AdminServer bind(InetSocketAddress address) throws IOException {
    server = HttpsServer.create(address, 128);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    return this;
  }

  /**
   * Starts answering calls on the bound port, over TLS only.
   *
   * @param tls the server certificate and the roots client certificates must chain to
   * @param operators the operators' tokens and client certificates (beside the bootstrap token)
   */
  public AdminServer start(AdminTls tls, Authenticator operators) {
    if (server == null) {
      throw new IllegalStateException("bind the admin server before starting it");
    }
    this.tls = tls;
    this.operators = operators;
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls.context()) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
            // 1.2 for operators' older tools; nothing older.
            parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            // Asked, not required: token holders and workloads enrolling have no certificate.
            parameters.setWantClientAuth(true);
            params.setSSLParameters(parameters);
          }
        });
    server.start();
    started = true;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) {
    try (exchange) {
      Answer answer = answer(exchange);
      consumeUnreadBody(exchange);
      reply(exchange, answer);
    } catch (IOException e) {
      log.debug("admin client went away: {}", e.toString());
    }
  }

  private Answer answer(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    if ("/healthz".equals(uri.getPath())) {
      return Answer.json(200, JSON.createObjectNode().put("status", "ok"));
    }
    Caller caller = authenticate(exchange);
    try {
      return dispatch(exchange, uri, caller);
    } catch (ApiException e) {
      return refused(e);
    } catch (RuntimeException e) {
      for (Refusal<?> refusal : refusals) {
        Optional<ApiException> refused = refusal.of(e);
        if (refused.isPresent()) {
          return refused(refused.get());
        }
      }
      log.error("admin call {} {} failed", exchange.getRequestMethod(), uri.getPath(), e);
      return Answer.json(500, error("internal", "internal error: " + e, null));
    }
  }

  /**
   * Who the caller is, and if not known, why not.
   *
   * @param failure empty when the caller showed no credential at all, or one that authenticated
   */
  private record Caller(Principal principal, Optional<String> failure) {}

  /**
   * A bearer token wins over a client certificate (a CLI may have both configured); other schemes
   * ({@code JoinToken}, {@code Svid}) belong to the open routes that read them. A browser session's
   * cookie counts for GET only: a browser sends cookies with whatever request a page makes, so a
   * session must never be able to change the mesh (cross-site request forgery); changes need a
   * credential the caller sends on purpose.
   */
  private Caller authenticate(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) {
      return byToken(authorization.substring("Bearer ".length()).strip())
          .<Caller>map(AdminServer::known)
          .orElseGet(
              () ->
                  unknown(
                      "wrong, revoked or expired bearer token; the CLI reads the bootstrap"
                          + " token from <data-dir>/admin.token"));
    }
    Optional<String> session = BrowserSessions.idIn(exchange.getRequestHeaders().get("Cookie"));
    boolean read = exchange.getRequestMethod().equals("GET");
    if (session.isPresent() && read) {
      Optional<Principal.Operator> operator = bySession(session.get());
      if (operator.isPresent()) {
        return known(operator.get());
      }
    }
    Caller byCertificate = byClientCertificate(exchange);
    if (session.isPresent()
        && byCertificate.principal() instanceof Principal.Anonymous
        && byCertificate.failure().isEmpty()) {
      return unknown(
          read
              ? "the browser session has ended (expired, logged out, its operator revoked, or"
                  + " opened on another control-plane replica); log in again at /ui/"
              : "a browser session may only read (GET); changes need a bearer token or a client"
                  + " certificate, as the CLI sends");
    }
    return byCertificate;
  }

  /** The operator holding a bearer token: the bootstrap admin or an operator by its token. */
  Optional<Principal.Operator> byToken(String token) {
    if (bootstrap.accepts("Bearer " + token)) {
      return Optional.of(new Principal.Operator(Principal.BOOTSTRAP_ADMIN, Role.ADMIN));
    }
    return operators.byToken(token);
  }

  /** The session's operator as it is now: revoked or expired operators lose their sessions. */
  private Optional<Principal.Operator> bySession(String id) {
    Optional<BrowserSessions.Session> found = sessions.find(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    String name = found.get().operator().name();
    Optional<Principal.Operator> live =
        name.equals(Principal.BOOTSTRAP_ADMIN)
            ? Optional.of(found.get().operator())
            : operators.byName(name);
    if (live.isEmpty()) {
      sessions.close(id);
    }
    return live;
  }

  /** The browser sessions of this replica, for the routes that open and close them. */
  BrowserSessions sessions() {
    return sessions;
  }

  private Caller byClientCertificate(HttpExchange exchange) {
    if (!(exchange instanceof HttpsExchange https)) {
      return known(new Principal.Anonymous());
    }
    X509Certificate[] chain;
    try {
      chain = (X509Certificate[]) https.getSSLSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException | ClassCastException e) {
      return new Caller(new Principal.Anonymous(), Optional.empty());
    }
    return byCertificate(chain);
  }

  /**
   * The TLS handshake has verified the chain to the trust bundle; what remains is whose it is. A
   * workload's SVID is checked again as sidecars check peers ({@link SvidVerifier}: one mesh SPIFFE
   * ID of this trust domain, not a CA); an operator's certificate must name a live operator.
   */
  private Caller byCertificate(X509Certificate[] chain) {
    List<String> uris = uris(chain[0]);
    if (uris.size() != 1) {
      return unknown("the client certificate must have exactly one URI SAN, found " + uris.size());
    }
    String uri = uris.getFirst();
    if (SpiffeId.parse(uri).isPresent()) {
      try {
        SpiffeId workload =
            new SvidVerifier(tls.trustDomain(), tls.trustBundle()).verify(chain, Instant.now());
        return known(new Principal.Workload(workload));
      } catch (SvidRejectedException e) {
        return unknown("the client certificate is not a valid SVID: " + e.getMessage());
      }
    }
    String operatorPrefix = SpiffeId.SCHEME_PREFIX + tls.trustDomain() + "/operator/";
    if (uri.startsWith(operatorPrefix) && chain[0].getBasicConstraints() < 0) {
      return operators
          .byCertificate(uri)
          .<Caller>map(AdminServer::known)
          .orElseGet(() -> unknown("no live operator holds the client certificate " + uri));
    }
    return unknown("the client certificate names " + uri + ", neither a workload nor an operator");
  }

  private static List<String> uris(X509Certificate leaf) {
    try {
      Collection<List<?>> names = leaf.getSubjectAlternativeNames();
      if (names == null) {
        return List.of();
      }
      return names.stream()
          .filter(n -> n.size() == 2 && Integer.valueOf(6).equals(n.get(0)))
          .map(n -> String.valueOf(n.get(1)))
          .toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static Caller known(Principal principal) {
    return new Caller(principal, Optional.empty());
  }

  private static Caller unknown(String why) {
    return new Caller(new Principal.Anonymous(), Optional.of(why));
  }

  private static Answer refused(ApiException e) {
    return Answer.json(e.status(), error(e.code(), e.getMessage(), e.detail()));
  }

  private Answer dispatch(HttpExchange exchange, URI uri, Caller caller) throws IOException {
    String path = uri.getPath();
    // Split the raw path, then decode each segment once: an encoded "/" stays inside its segment.
    String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
    String[] segments = rawPath.substring(1).split("/");
    boolean pathKnown = false;
    for (Route route : routes) {
      Map<String, String> params = match(route.segments(), segments);
      if (params == null) {
        continue;
      }
      pathKnown = true;
      if (!route.method().equals(exchange.getRequestMethod())) {
        continue;
      }
      if (route.access() != Access.OPEN) {
        Optional<Answer> refusal = refusal(exchange, route, caller);
        if (refusal.isPresent()) {
          return refusal.get();
        }
      }
      byte[] body = readBody(exchange);
      Answer answer =
          route
              .responder()
              .apply(
                  new AdminRequest(
                      route.method(),
                      path,
                      params,
                      parseQuery(uri.getRawQuery()),
                      headers(exchange),
                      body,
                      caller.principal()));
      if (!route.method().equals("GET")
          && (route.access() == Access.ADMIN || route.access() == Access.OPERATOR)) {
        log.info(
            "admin change principal={} method={} path={} status={}",
            caller.principal().actor(),
            route.method(),
            path,
            answer.status());
      }
      return answer;
    }
    if (caller.principal() instanceof Principal.Anonymous) {
      return unauthenticated(exchange, caller);
    }
    if (pathKnown) {
      throw new ApiException(
          405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed on " + path);
    }
    throw ApiException.notFound("no admin endpoint " + path);
  }

  /** 401 for nobody, 403 for a principal the route is not for; empty when the call may go on. */
  private Optional<Answer> refusal(HttpExchange exchange, Route route, Caller caller) {
    Role needed = route.access().role().orElseThrow();
    String why =
        switch (caller.principal()) {
          case Principal.Anonymous a -> {
            yield null;
          }
          case Principal.Operator(String name, Role role) when role.includes(needed) -> "";
          case Principal.Operator(String name, Role role) ->
              "needs role "
                  + needed.wireName()
                  + "; "
                  + caller.principal().actor()
                  + " has role "
                  + role.wireName();
          case Principal.Workload w when route.access() == Access.OPERATOR_OR_WORKLOAD -> "";
          case Principal.Workload w ->
              "needs an operator with role "
                  + needed.wireName()
                  + "; "
                  + caller.principal().actor()
                  + " is a workload, which may only register, renew and deregister instances"
                  + " of its own service and send its own spans";
        };
    if (why == null) {
      return Optional.of(unauthenticated(exchange, caller));
    }
    return why.isEmpty()
        ? Optional.empty()
        : Optional.of(
            forbidden(
                exchange,
                route,
                caller,
                route.method() + " " + exchange.getRequestURI().getPath() + " " + why));
  }

  private static Answer forbidden(HttpExchange exchange, Route route, Caller caller, String why) {
    log.info(
        "admin call refused principal={} method={} path={}: {}",
        caller.principal().actor(),
        route.method(),
        exchange.getRequestURI().getPath(),
        why);
    return Answer.json(403, error("forbidden", why, null));
  }

  /** The bearer challenge, also for unknown paths: without credentials, no path is confirmed. */
  private static Answer unauthenticated(HttpExchange exchange, Caller caller) {
    exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"firemesh\"");
    return Answer.json(
        401,
        error(
            "unauthenticated",
            caller
                .failure()
                .orElse(
                    "no credentials: send a bearer token (the CLI reads the bootstrap token from"
                        + " <data-dir>/admin.token) or a client certificate the mesh CA issued"),
            null));
  }

  /** The first value of each header, by lower-case name. */
  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
              }
            });
    return headers;
  }

  private static Map<String, String> match(String[] pattern, String[] segments) {
    if (pattern.length != segments.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        // In a path "+" is a plus sign, not a space as in a form.
        params.put(
            p.substring(1, p.length() - 1), decode(segments[i].replace("+", "%2B"), "URL path"));
      } else if (!p.equals(segments[i])) {
        return null;
      }
    }
    return params;
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(decode(key, "query"), decode(value, "query"));
    }
    return query;
  }

  /**
   * Percent-decodes one URL part. The JDK server already refuses most malformed escapes (with its
   * own HTML 400); whatever reaches here still gets the JSON shape.
   */
  private static String decode(String raw, String where) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "malformed percent-escape in the " + where + " \"" + raw + "\": " + e.getMessage());
    }
  }

  private byte[] readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > maxBodyBytes) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        // The HTTP server itself refuses a malformed length; reading below still bounds the body.
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        throw tooLarge();
      }
      return body;
    }
  }

  /** How much of a body the server reads and drops after answering without reading it. */
  static final int DISCARD_LIMIT = 1024 * 1024;

  /**
   * Reads what is left of a small request body before answering. A refusal (401, 403, 404) is
   * decided from the head alone; if the server closed the connection with body bytes still
   * arriving, the kernel would reset it, and the reset can destroy the answer in the client's
   * receive buffer before the client reads it. A body declared larger than {@link #DISCARD_LIMIT}
   * is not waited for (its sender may be waiting for this very answer): the connection is closed
   * after the answer instead.
   */
  private static void consumeUnreadBody(HttpExchange exchange) {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    try {
      if (declared != null && Long.parseLong(declared.strip()) > DISCARD_LIMIT) {
        exchange.getResponseHeaders().set("Connection", "close");
        return;
      }
    } catch (NumberFormatException e) {
      // the JDK server refuses a malformed length before a handler runs
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] chunk = new byte[8192];
      long dropped = 0;
      for (int n; dropped <= DISCARD_LIMIT && (n = in.read(chunk)) >= 0; ) {
        dropped += n;
      }
      if (dropped > DISCARD_LIMIT) {
        exchange.getResponseHeaders().set("Connection", "close");
      }
    } catch (IOException e) {
      // Already read and closed by the handler, or the caller went away: nothing to drop.
    }
  }

  private ApiException tooLarge() {
    return new ApiException(413, "too_large", "request body exceeds " + size(maxBodyBytes));
  }

  private static String size(int bytes) {
    return bytes % (1024 * 1024) == 0
        ? bytes / (1024 * 1024) + " MiB"
        : bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
  }

  private static ObjectNode error(String code, String message, JsonNode detail) {
    ObjectNode error = JSON.createObjectNode();
    error.put("error", code);
    error.put("message", message);
    if (detail != null && !detail.isNull()) {
      error.set("detail", detail);
    }
    return error;
  }

  private void reply(HttpExchange exchange, Answer answer) throws IOException {
    answer.headers().forEach(exchange.getResponseHeaders()::set);
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    if (answer.stream() != Answer.WHOLE) {
      // No proxy or browser may keep a live stream's events as a stale copy.
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      streaming.incrementAndGet();
      try {
        exchange.sendResponseHeaders(answer.status(), 0); // 0: chunked, length unknown
        try (OutputStream out = exchange.getResponseBody()) {
          answer.stream().write(out, this::pause);
        }
      } finally {
        streaming.decrementAndGet();
      }
      return;
    }
    exchange.sendResponseHeaders(answer.status(), answer.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer.body());
    }
  }

  private boolean pause(Duration pause) {
    try {
      return !closing.await(pause.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** How long close() lets streamed answers write their end before connections are cut. */
  private static final Duration STREAMS_DRAIN = Duration.ofSeconds(1);

  @Override
  public void close() {
    closing.countDown();
    // Streams return at once when told; let them end their answers properly (the last chunk), so
    // a client sees the stream end rather than a reset connection.
    long deadline = System.nanoTime() + STREAMS_DRAIN.toNanos();
    while (streaming.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (server != null) {
      if (!started) {
        // The JDK server releases its port only from its dispatcher thread, which start() runs:
        // a server that was bound but never started would keep the port until the JVM exits.
        server.start();
      }
      server.stop(0);
      server = null;
    }
    executor.close();
  }
}
