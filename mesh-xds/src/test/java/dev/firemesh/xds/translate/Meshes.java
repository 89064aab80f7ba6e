package dev.firemesh.xds.translate;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Resources and instances for tests, built with the model's own constructors. */
public final class Meshes {
  private Meshes() {}

  /** A gRPC service with subsets {@code v1} and {@code v2} selected by the version label. */
  public static Service service(String name) {
    return new Service(
        Metadata.named(name),
        new Service.Spec(
            List.of(new Service.Port("grpc", 50051, Service.Protocol.GRPC)),
            List.of(
                new Service.Subset("v1", Map.of(ServiceInstance.VERSION, "v1")),
                new Service.Subset("v2", Map.of(ServiceInstance.VERSION, "v2")))));
  }

  public static ServiceInstance instance(
      String service, String id, int port, String version, String zone) {
    return new ServiceInstance(
        service,
        id,
        "127.0.0.1",
        port,
        Map.of(
            ServiceInstance.VERSION, version,
            ServiceInstance.REGION, "eu-west",
            ServiceInstance.ZONE, zone));
  }

  /** A route for {@code service} with the given rules. */
  public static Route route(String service, Route.Rule... rules) {
    return new Route(Metadata.named(service), new Route.Spec(service, List.of(rules)));
  }

  /** A rule matching everything that splits between subsets v1 and v2. */
  public static Route.Rule split(int v1Weight, int v2Weight) {
    return rule(
        "split",
        List.of(),
        List.of(
            new Route.Destination("", "v1", v1Weight), new Route.Destination("", "v2", v2Weight)));
  }

  public static Route.Rule rule(
      String name, List<Route.Match> matches, List<Route.Destination> destinations) {
    return new Route.Rule(
        name,
        matches,
        destinations,
        Duration.ZERO,
        Route.RetryPolicy.NONE,
        Route.Fault.NONE,
        List.of());
  }

  public static TrafficPolicy policy(
      String service, String subset, TrafficPolicy.LoadBalancer.Policy lb) {
    return new TrafficPolicy(
        Metadata.named(service + (subset.isEmpty() ? "" : "-" + subset)),
        new TrafficPolicy.Spec(
            service,
            subset,
            new TrafficPolicy.LoadBalancer(lb, ""),
            TrafficPolicy.ConnectionPool.DEFAULT,
            TrafficPolicy.CircuitBreaker.DEFAULT,
            TrafficPolicy.OutlierDetection.DEFAULT,
            TrafficPolicy.HealthCheck.DEFAULT));
  }
}
