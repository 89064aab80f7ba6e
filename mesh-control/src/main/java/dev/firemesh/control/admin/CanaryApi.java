package dev.firemesh.control.admin;

import static dev.firemesh.control.admin.AdminServer.Access.VIEWER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.codec.Durations;
import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.Canary;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.ResourceKey;
import dev.firemesh.control.catalog.ResourceCatalog;
import dev.firemesh.store.canary.CanaryDecision;
import dev.firemesh.store.canary.CanaryRun;
import dev.firemesh.store.canary.CanaryRuns;
import dev.firemesh.store.resource.StoredResource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/canaries} and {@code GET /v1/canaries/{name}}: each Canary with where its run
 * stands (state, step, weights), its last decision with the figures it was taken on, and every
 * decision of the run. Any replica answers, from the store.
 */
public final class CanaryApi {
  private static final ObjectMapper JSON = AdminServer.JSON;

  private final ResourceCatalog catalog;
  private final CanaryRuns runs;

  public CanaryApi(ResourceCatalog catalog, CanaryRuns runs) {
    this.catalog = catalog;
    this.runs = runs;
  }

  public void registerOn(AdminServer server) {
    server
        .route("GET", "/v1/canaries", VIEWER, r -> list())
        .route("GET", "/v1/canaries/{name}", VIEWER, r -> one(r.param("name")));
  }

  private JsonNode list() {
    Map<String, CanaryRun> byName =
        runs.runs().stream().collect(Collectors.toMap(CanaryRun::canary, Function.identity()));
    ObjectNode answer = JSON.createObjectNode();
    ArrayNode items = answer.putArray("items");
    for (StoredResource stored : catalog.list(Optional.of(Kind.CANARY))) {
      items.add(status(stored, Optional.ofNullable(byName.get(stored.name()))));
    }
    return answer;
  }

  private JsonNode one(String name) {
    ResourceKey key = new ResourceKey(Kind.CANARY, name);
    StoredResource stored =
        catalog.get(key).orElseThrow(() -> ApiException.notFound(key + " does not exist"));
    return status(stored, runs.run(name));
  }

  private ObjectNode status(StoredResource stored, Optional<CanaryRun> found) {
    Canary canary = (Canary) ResourceCodec.fromJson(stored.body());
    Canary.Spec spec = canary.spec();
    ObjectNode node =
        JSON.createObjectNode()
            .put("name", canary.name())
            .put("service", spec.service())
            .put("route", spec.route())
            .put("rule", spec.rule())
            .put("stable", spec.stable())
            .put("canary", spec.canary())
            .put("stepInterval", Durations.format(spec.stepInterval()));
    spec.steps().forEach(node.putArray("steps")::add);
    // A run of an older spec is not this Canary's: the controller starts a new one shortly.
    Optional<CanaryRun> run = found.filter(r -> r.spec().equals(stored.body()));
    if (run.isEmpty()) {
      node.put("state", "pending").put("step", 0).put("totalSteps", spec.steps().size());
      node.putArray("decisions");
      return node;
    }
    CanaryRun r = run.get();
    node.put("state", r.state().name().toLowerCase(Locale.ROOT))
        .put("step", r.step() + 1)
        .put("totalSteps", spec.steps().size());
    node.putObject("weights").put(spec.stable(), 100 - r.weight()).put(spec.canary(), r.weight());
    node.put("reason", r.reason())
        .put("startedAt", r.startedAt().toString())
        .put("stepStartedAt", r.stepStartedAt().toString())
        .put("updatedAt", r.updatedAt().toString());
    List<CanaryDecision> decisions = runs.decisions(r.canary());
    if (!decisions.isEmpty()) {
      node.set("lastDecision", decision(decisions.getLast()));
    }
    ArrayNode history = node.putArray("decisions");
    decisions.forEach(d -> history.add(decision(d)));
    return node;
  }

  private static ObjectNode decision(CanaryDecision d) {
    ObjectNode node =
        JSON.createObjectNode()
            .put("seq", d.seq())
            .put("at", d.at().toString())
            .put("step", d.step() + 1)
            .put("weight", d.weight())
            .put("decision", d.decision())
            .put("reason", d.reason());
    ObjectNode canary =
        node.putObject("canary")
            .put("requests", d.canaryRequests())
            .put("errors", d.canaryErrors())
            .put("errorRate", percent(d.canaryErrors(), d.canaryRequests()));
    ObjectNode stable =
        node.putObject("stable")
            .put("requests", d.stableRequests())
            .put("errors", d.stableErrors())
            .put("errorRate", percent(d.stableErrors(), d.stableRequests()));
    if (Double.isFinite(d.canaryP99Millis())) {
      canary.put("p99Millis", round(d.canaryP99Millis()));
    }
    if (Double.isFinite(d.stableP99Millis())) {
      stable.put("p99Millis", round(d.stableP99Millis()));
    }
    d.revision().ifPresent(rev -> node.put("revision", rev));
    return node;
  }

  /** Errors as a percentage of requests, to 0.01; 0 with no requests. */
  private static double percent(long errors, long requests) {
    return requests == 0 ? 0 : round(100.0 * errors / requests);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
