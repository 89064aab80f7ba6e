package dev.firemesh.control.admin;

import static dev.firemesh.control.admin.AdminServer.Access.OPERATOR;
import static dev.firemesh.control.admin.AdminServer.Access.OPERATOR_OR_WORKLOAD;
import static dev.firemesh.control.admin.AdminServer.Access.VIEWER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.ResourceKey;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.Problem;
import dev.firemesh.control.catalog.ApplyOutcome;
import dev.firemesh.control.catalog.NoSuchResourceException;
import dev.firemesh.control.catalog.ResourceCatalog;
import dev.firemesh.control.catalog.ResourceChange;
import dev.firemesh.control.catalog.SourceFile;
import dev.firemesh.control.operator.Principal;
import dev.firemesh.control.operator.Role;
import dev.firemesh.store.registry.Instance;
import dev.firemesh.store.registry.Registration;
import dev.firemesh.store.registry.Registry;
import dev.firemesh.store.resource.ConcurrentChangeException;
import dev.firemesh.store.resource.ResourceNotFoundException;
import dev.firemesh.store.resource.Revision;
import dev.firemesh.store.resource.RevisionNotFoundException;
import dev.firemesh.store.resource.StoredResource;
import dev.firemesh.xds.server.NodeStatus;
import dev.firemesh.xds.server.TypeStatus;
import dev.firemesh.xds.translate.XdsType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The admin API's endpoints: resources (apply, get, delete), revisions (history, diff, rollback),
 * the registry (register, renew, deregister, list) and xDS node status. Every answer is JSON;
 * refusals carry a code, a message and, for invalid documents, every problem with its position.
 *
 * <p>Access: reads are for every operator (viewer and up), changes for operators and admins. A
 * workload authenticated by its SVID may register, renew and deregister instances of its own
 * service in its own environment only, and its registration's {@code identity} and {@code env}
 * labels are taken from its certificate, whatever the body says.
 */
public final class AdminApi {
  private static final ObjectMapper JSON = AdminServer.JSON;

  private final ResourceCatalog catalog;
  private final Registry registry;
  private final Supplier<List<NodeStatus>> nodes;
  private final LongSupplier servingRevision;
  private final String storeDescription;
  private final String version;

  public AdminApi(
      ResourceCatalog catalog,
      Registry registry,
      Supplier<List<NodeStatus>> nodes,
      LongSupplier servingRevision,
      String storeDescription,
      String version) {
    this.catalog = catalog;
    this.registry = registry;
    this.nodes = nodes;
    this.servingRevision = servingRevision;
    this.storeDescription = storeDescription;
    this.version = version;
  }

  public void registerOn(AdminServer server) {
    declareRefusals(server);
    server
        .route("GET", "/v1/version", VIEWER, r -> version())
        .route("POST", "/v1/apply", OPERATOR, this::apply)
        .route("GET", "/v1/resources", VIEWER, r -> resources(Optional.empty()))
        .route(
            "GET",
            "/v1/resources/{kind}",
            VIEWER,
            r -> resources(Optional.of(kind(r.param("kind")))))
        .route("GET", "/v1/resources/{kind}/{name}", VIEWER, this::getResource)
        .route("DELETE", "/v1/resources/{kind}/{name}", OPERATOR, this::deleteResource)
        .route("GET", "/v1/revisions", VIEWER, this::history)
        .route("GET", "/v1/revisions/{number}", VIEWER, this::revision)
        .route("GET", "/v1/diff", VIEWER, this::diff)
        .route("POST", "/v1/rollback", OPERATOR, this::rollback)
        .route("GET", "/v1/instances", VIEWER, this::instances)
        .route("POST", "/v1/instances", OPERATOR_OR_WORKLOAD, this::register)
        .route("PUT", "/v1/instances/{service}/{id}/lease", OPERATOR_OR_WORKLOAD, this::renew)
        .route("DELETE", "/v1/instances/{service}/{id}", OPERATOR_OR_WORKLOAD, this::deregister)
        .route("GET", "/v1/xds/nodes", VIEWER, r -> nodeStatus())
        .route("GET", "/v1/whoami", VIEWER, AdminApi::whoami);
  }

  /**
   * The exceptions of the catalog, the store and the registry that mean "refused", not "broken",
   * with the answer each gets: for every endpoint alike.
   */
  static void declareRefusals(AdminServer server) {
    server
        .refuse(InvalidResourceException.class, AdminApi::invalid)
        .refuse(
            ConcurrentChangeException.class, e -> new ApiException(409, "conflict", e.getMessage()))
        .refuse(NoSuchResourceException.class, e -> ApiException.notFound(e.getMessage()))
        .refuse(ResourceNotFoundException.class, e -> ApiException.notFound(e.getMessage()))
        .refuse(RevisionNotFoundException.class, e -> ApiException.notFound(e.getMessage()))
        .refuse(IllegalArgumentException.class, e -> ApiException.badRequest(e.getMessage()));
  }

  private JsonNode version() {
    return JSON.createObjectNode()
        .put("version", version)
        .put("store", storeDescription)
        .put("revision", catalog.head())
        .put("xdsRevision", servingRevision.getAsLong());
  }

  private JsonNode apply(AdminRequest request) {
    JsonNode body = request.json();
    JsonNode files = body.path("files");
    if (!files.isArray() || files.isEmpty()) {
      throw ApiException.badRequest("body.files must be a non-empty array of {name, content}");
    }
    List<SourceFile> sources = new ArrayList<>();
    for (JsonNode file : files) {
      if (!file.path("name").isTextual() || !file.path("content").isTextual()) {
        throw ApiException.badRequest("each of body.files needs a text name and a text content");
      }
      sources.add(new SourceFile(file.get("name").asText(), file.get("content").asText()));
    }
    String message = body.path("message").asText("");
    return outcome(catalog.apply(sources, request.actor(), message, request.flag("dryRun")));
  }

  private JsonNode resources(Optional<Kind> kind) {
    ObjectNode answer = JSON.createObjectNode().put("revision", catalog.head());
    ArrayNode items = answer.putArray("items");
    catalog.list(kind).forEach(r -> items.add(stored(r)));
    return answer;
  }

  private JsonNode getResource(AdminRequest request) {
    ResourceKey key = new ResourceKey(kind(request.param("kind")), request.param("name"));
    return catalog
        .get(key)
        .map(AdminApi::stored)
        .orElseThrow(() -> ApiException.notFound(key + " does not exist"));
  }

  private JsonNode deleteResource(AdminRequest request) {
    ResourceKey key = new ResourceKey(kind(request.param("kind")), request.param("name"));
    return outcome(catalog.delete(key, request.actor()));
  }

  private JsonNode history(AdminRequest request) {
    int limit = (int) Math.min(1000, Math.max(1, request.longQueryParam("limit", 20)));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("items");
    catalog.history(limit).forEach(r -> items.add(revision(r)));
    return answer;
  }

  private JsonNode revision(AdminRequest request) {
    long number = parseLong(request.param("number"), "revision");
    requireRevision(number, catalog.head());
    return catalog
        .revision(number)
        .map(AdminApi::revision)
        .orElseThrow(() -> ApiException.notFound("revision " + number + " does not exist"));
  }

  private JsonNode diff(AdminRequest request) {
    long head = catalog.head();
    if (request.queryParam("from").isEmpty()) {
      throw ApiException.badRequest("query parameter from (a revision number) is required");
    }
    long from = request.longQueryParam("from", 0);
    long to = request.longQueryParam("to", head);
    requireRevision(from, head);
    requireRevision(to, head);
    ObjectNode answer = JSON.createObjectNode().put("from", from).put("to", to);
    ArrayNode changes = answer.putArray("changes");
    catalog.diff(from, to).forEach(c -> changes.add(change(c)));
    return answer;
  }

  private JsonNode rollback(AdminRequest request) {
    JsonNode target = request.json().path("revision");
    if (!target.isIntegralNumber() || !target.canConvertToLong()) {
      throw ApiException.badRequest(
          "body.revision must be a revision number (a whole number from 1), got "
              + (target.isMissingNode() ? "nothing" : target.toString()));
    }
    requireRevision(target.asLong(), catalog.head());
    return outcome(catalog.rollback(target.asLong(), request.actor()));
  }

  /**
   * Refuses a revision number that cannot exist (400) or does not exist yet (404), saying which
   * ones do. The store checks again under its lock; this gives the clearer message first.
   */
  static void requireRevision(long number, long head) {
    if (number < 1) {
      throw ApiException.badRequest("revision " + number + " does not exist; revisions start at 1");
    }
    if (number > head) {
      throw ApiException.notFound(
          "revision "
              + number
              + " does not exist; "
              + (head == 0 ? "there are no revisions yet" : "the latest is " + head));
    }
  }

  private JsonNode instances(AdminRequest request) {
    List<Instance> found =
        request.queryParam("service").map(registry::instances).orElseGet(registry::instances);
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("items");
    found.forEach(i -> items.add(instance(i)));
    return answer;
  }

  private JsonNode register(AdminRequest request) {
    JsonNode body = request.json();
    Map<String, String> labels = new LinkedHashMap<>();
    body.path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    if (request.principal() instanceof Principal.Workload(SpiffeId workload)) {
      String service = body.path("service").asText("");
      requireOwn(workload, service, body.path("instanceId").asText(""), "register");
      // The certificate says who this is; a label the body chose could claim another identity.
      labels.put("identity", workload.toString());
      labels.put("env", workload.env());
    }
    long ttlSeconds = body.path("ttlSeconds").asLong(30);
    if (ttlSeconds < 1 || ttlSeconds > 86_400) {
      throw ApiException.badRequest("ttlSeconds must be from 1 to 86400, got " + ttlSeconds);
    }
    try {
      Registration registration =
          new Registration(
              body.path("service").asText(""),
              body.path("instanceId").asText(""),
              body.path("address").asText(""),
              body.path("port").asInt(0),
              labels);
      return instance(registry.register(registration, Duration.ofSeconds(ttlSeconds)));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private JsonNode renew(AdminRequest request) {
    if (request.principal() instanceof Principal.Workload(SpiffeId workload)) {
      requireOwn(workload, request.param("service"), request.param("id"), "renew");
    }
    if (!registry.renew(request.param("service"), request.param("id"))) {
      throw ApiException.notFound(
          "no live lease for "
              + request.param("service")
              + "/"
              + request.param("id")
              + "; register again");
    }
    return JSON.createObjectNode().put("renewed", true);
  }

  private JsonNode deregister(AdminRequest request) {
    if (request.principal() instanceof Principal.Workload(SpiffeId workload)) {
      requireOwn(workload, request.param("service"), request.param("id"), "deregister");
    }
    if (!registry.deregister(request.param("service"), request.param("id"))) {
      throw ApiException.notFound(
          "no instance " + request.param("service") + "/" + request.param("id"));
    }
    return JSON.createObjectNode().put("deregistered", true);
  }

  /**
   * A workload may act on instances of its own service only, and not on one that another identity
   * registered (the same service in another environment).
   */
  private void requireOwn(SpiffeId workload, String service, String instanceId, String what) {
    if (!workload.service().equals(service)) {
      throw new ApiException(
          403,
          "forbidden",
          "workload:"
              + workload
              + " may "
              + what
              + " instances of service "
              + workload.service()
              + " only, not of '"
              + service
              + "'");
    }
    registry.instances(service).stream()
        .filter(i -> i.instanceId().equals(instanceId))
        .map(i -> i.labels().getOrDefault("identity", ""))
        .filter(owner -> !owner.equals(workload.toString()))
        .findFirst()
        .ifPresent(
            owner -> {
              throw new ApiException(
                  403,
                  "forbidden",
                  "instance "
                      + service
                      + "/"
                      + instanceId
                      + " belongs to "
                      + (owner.isEmpty() ? "no workload identity" : owner)
                      + "; workload:"
                      + workload
                      + " may not "
                      + what
                      + " it");
            });
  }

  private static JsonNode whoami(AdminRequest request) {
    ObjectNode answer = JSON.createObjectNode().put("actor", request.actor());
    if (request.principal() instanceof Principal.Operator(String name, Role role)) {
      answer.put("operator", name).put("role", role.wireName());
    }
    return answer;
  }

  private JsonNode nodeStatus() {
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("items");
    for (NodeStatus node : nodes.get()) {
      ObjectNode item =
          items
              .addObject()
              .put("nodeId", node.nodeId())
              .put("connected", node.connected())
              .put("connectedSince", node.connectedSince().toString());
      node.adminAddress().ifPresent(admin -> item.put("adminAddress", admin));
      node.identity().ifPresent(identity -> item.put("identity", identity));
      ArrayNode types = item.putArray("types");
      for (XdsType type : XdsType.values()) {
        TypeStatus status = node.type(type);
        ObjectNode t =
            types
                .addObject()
                .put("type", type.name().toLowerCase())
                .put("sent", status.sentVersion())
                .put("acked", status.ackedVersion())
                .put("inSync", status.inSync());
        status
            .lastNack()
            .ifPresent(n -> t.put("nack", n.message()).put("nackAt", n.at().toString()));
      }
    }
    return answer;
  }

  /** Invalid documents: every problem, with its position where it has one. */
  private static ApiException invalid(InvalidResourceException e) {
    ObjectNode detail = JSON.createObjectNode();
    ArrayNode problems = detail.putArray("problems");
    for (Problem p : e.problems()) {
      problems
          .addObject()
          .put("file", p.position().file())
          .put("line", p.position().line())
          .put("column", p.position().column())
          .put("field", p.field())
          .put("message", p.message());
    }
    if (e.omitted() > 0) {
      detail.put("omitted", e.omitted());
    }
    return new ApiException(
        422,
        "invalid",
        (e.problems().size() + e.omitted()) + " problem(s); nothing was applied",
        detail);
  }

  private static Kind kind(String name) {
    Optional<Kind> kind = Kind.fromWireName(name);
    if (kind.isEmpty() && name.toLowerCase().endsWith("s")) {
      kind = Kind.fromWireName(name.substring(0, name.length() - 1)); // "routes"
    }
    if (kind.isEmpty() && name.toLowerCase().endsWith("ies")) {
      kind = Kind.fromWireName(name.substring(0, name.length() - 3) + "y"); // "policies"
    }
    return kind.orElseThrow(
        () ->
            ApiException.badRequest(
                "unknown kind \""
                    + name
                    + "\"; expected one of "
                    + Arrays.stream(Kind.values()).map(Kind::wireName).toList()));
  }

  private static long parseLong(String text, String what) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(what + " must be a whole number, got \"" + text + "\"");
    }
  }

  private static JsonNode parseJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException("stored document is not JSON", e);
    }
  }

  private static ObjectNode stored(StoredResource r) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("kind", r.kind())
            .put("name", r.name())
            .put("revision", r.revision());
    node.set("resource", parseJson(r.body()));
    return node;
  }

  private static ObjectNode revision(Revision r) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("revision", r.number())
            .put("actor", r.actor())
            .put("message", r.message())
            .put("time", r.createdAt().toString());
    ArrayNode changes = node.putArray("changes");
    r.changes()
        .forEach(
            c ->
                changes
                    .addObject()
                    .put("kind", c.kind())
                    .put("name", c.name())
                    .put("op", c.op().name().toLowerCase()));
    return node;
  }

  private static ObjectNode outcome(ApplyOutcome outcome) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("revision", outcome.revision())
            .put("dryRun", outcome.dryRun())
            .put("unchanged", outcome.unchanged())
            .put("time", outcome.at().toString());
    ArrayNode changes = node.putArray("changes");
    outcome.changes().forEach(c -> changes.add(change(c)));
    if (!outcome.warnings().isEmpty()) {
      ArrayNode warnings = node.putArray("warnings");
      outcome.warnings().forEach(warnings::add);
    }
    return node;
  }

  private static ObjectNode change(ResourceChange c) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("kind", c.key().kind().wireName())
            .put("name", c.key().name())
            .put("op", c.op().name().toLowerCase());
    c.before().ifPresent(b -> node.set("before", parseJson(b)));
    c.after().ifPresent(a -> node.set("after", parseJson(a)));
    return node;
  }

  private static ObjectNode instance(Instance i) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("service", i.service())
            .put("instanceId", i.instanceId())
            .put("address", i.address())
            .put("port", i.port());
    ObjectNode labels = node.putObject("labels");
    i.labels().forEach(labels::put);
    node.put("registeredAt", i.registeredAt().toString());
    node.put("expiresAt", i.expiresAt().toString());
    return node;
  }
}
