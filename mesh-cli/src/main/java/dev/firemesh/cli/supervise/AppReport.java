package dev.firemesh.cli.supervise;

import dev.firemesh.proxy.admin.AdminExtension;
import dev.firemesh.proxy.admin.AdminMetric;
import dev.firemesh.workload.admin.PlainJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The supervised app on the sidecar's admin port: {@code GET /app} (JSON) and the {@code
 * firemesh_proxy_app_*} metrics, from the last published {@link AppStatus}.
 */
public final class AppReport implements AdminExtension {
  private final Supplier<AppStatus> status;
  private final List<String> command;

  public AppReport(Supplier<AppStatus> status, List<String> command) {
    this.status = status;
    this.command = List.copyOf(command);
  }

  @Override
  public Map<String, Supplier<String>> jsonPages() {
    return Map.of("/app", () -> json(status.get()));
  }

  @Override
  public List<AdminMetric> metrics() {
    AppStatus now = status.get();
    return List.of(
        AdminMetric.counter("app.starts", "Processes of the supervised app started.", now.starts()),
        AdminMetric.counter(
            "app.restarts",
            "Restarts of the supervised app after it crashed or failed its health check.",
            now.restarts()),
        AdminMetric.counter(
            "app.health_check_failures",
            "Failed health checks of the supervised app.",
            now.healthCheckFailures()),
        AdminMetric.gauge(
            "app.up",
            "1 while a process of the supervised app runs.",
            now.pid().isPresent() ? 1 : 0),
        AdminMetric.gauge(
            "app.registered",
            "1 while the instance is an endpoint of its service.",
            now.registered() ? 1 : 0));
  }

  String json(AppStatus now) {
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("state", now.state().label());
    if (now.pid().isPresent()) {
      page.put("pid", now.pid().getAsLong());
    }
    page.put("command", command);
    page.put("registered", now.registered());
    page.put("starts", now.starts());
    page.put("restarts", now.restarts());
    page.put("consecutiveHealthCheckFailures", now.consecutiveFailures());
    page.put("healthCheckFailures", now.healthCheckFailures());
    now.lastExit()
        .ifPresent(
            exit -> {
              Map<String, Object> last = new LinkedHashMap<>();
              last.put("pid", exit.pid());
              last.put("code", exit.code());
              last.put("reason", exit.reason());
              last.put("at", exit.at().toString());
              page.put("lastExit", last);
            });
    now.nextStart().ifPresent(at -> page.put("nextStart", at.toString()));
    return PlainJson.pretty(page) + "\n";
  }
}
