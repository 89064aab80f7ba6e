package dev.firemesh.chassis.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's liveness and readiness. Live: the process answers. Ready: started, not stopping,
 * and no component {@code DOWN} ({@code DEGRADED} components keep it ready: a replica that lags
 * still serves, and saying so is the metric's job). Served at {@code /health/live}, {@code
 * /health/ready} (200 or 503, with every component's state) and {@code /health} (the same, always
 * 200), for the sidecar's health checks and for people.
 */
public final class Health {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, HealthCheck> checks = new ConcurrentHashMap<>();
  private volatile boolean started;
  private volatile boolean stopping;

  /** Adds (or replaces) the check of a component. */
  public void register(String component, HealthCheck check) {
    checks.put(component, check);
  }

  public void started() {
    started = true;
  }

  public void stopping() {
    stopping = true;
  }

  /** The service's state and each component's, in name order. */
  public Report report() {
    Map<String, HealthCheck.Status> components = new LinkedHashMap<>();
    HealthState overall = HealthState.UP;
    for (String name : checks.keySet().stream().sorted().toList()) {
      HealthCheck.Status status;
      try {
        status = checks.get(name).check();
      } catch (RuntimeException e) {
        status = HealthCheck.Status.down("health check failed: " + e);
      }
      components.put(name, status);
      overall = overall.worse(status.state());
    }
    boolean ready = started && !stopping && overall != HealthState.DOWN;
    String phase = stopping ? "stopping" : started ? "running" : "starting";
    return new Report(ready, overall, phase, components);
  }

  /** What a probe sees. */
  public record Report(
      boolean ready, HealthState state, String phase, Map<String, HealthCheck.Status> components) {
    String json() {
      ObjectNode root = JSON.createObjectNode();
      root.put("ready", ready);
      root.put("state", state.name());
      root.put("phase", phase);
      ObjectNode parts = root.putObject("components");
      components.forEach(
          (name, status) -> {
            ObjectNode part = parts.putObject(name);
            part.put("state", status.state().name());
            if (!status.detail().isEmpty()) {
              part.put("detail", status.detail());
            }
          });
      return root.toString();
    }
  }

  /** The three health endpoints. */
  public HttpRoutes routes() {
    return HttpRoutes.builder()
        .get("/health/live", request -> HttpResponse.json(200, "{\"live\":true}"))
        .get(
            "/health/ready",
            request -> {
              Report report = report();
              return HttpResponse.json(report.ready() ? 200 : 503, report.json());
            })
        .get("/health", request -> HttpResponse.json(200, report().json()))
        .build();
  }
}
