package dev.firemesh.chassis.http;

import dev.firemesh.chassis.telemetry.ServiceTelemetry;
import dev.firemesh.telemetry.trace.Sampler;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@link HttpRoutes} on the chassis's own server, on loopback, without the rest of a chassis: for
 * tests of one piece (the reference data owner). Records each request's {@code Host}.
 */
public final class RoutesServer implements AutoCloseable {
  private final ChassisServer server;
  private final ServiceTelemetry telemetry;
  private final Queue<String> hosts;

  private RoutesServer(ChassisServer server, ServiceTelemetry telemetry, Queue<String> hosts) {
    this.server = server;
    this.telemetry = telemetry;
    this.hosts = hosts;
  }

  /** On an ephemeral port. */
  public static RoutesServer start(HttpRoutes routes) {
    return start(routes, 0);
  }

  /** On {@code port}, retrying a little while the port is still being released. */
  public static RoutesServer start(HttpRoutes routes, int port) {
    Queue<String> hosts = new ConcurrentLinkedQueue<>();
    HttpRoutes.Builder recording = HttpRoutes.builder();
    for (HttpRoutes.Route route : routes.routes()) {
      recording.route(
          route.method(),
          route.template(),
          request -> {
            hosts.add(request.header("host").orElse("null"));
            return route.handler().handle(request);
          });
    }
    HttpRoutes recorded = recording.build();
    for (int attempt = 0; ; attempt++) {
      ServiceTelemetry telemetry = new ServiceTelemetry("test", Sampler.DEFAULT, Optional.empty());
      try {
        ChassisServer server =
            ChassisServer.start(new InetSocketAddress("127.0.0.1", port), recorded, telemetry);
        return new RoutesServer(server, telemetry, hosts);
      } catch (UncheckedIOException e) {
        telemetry.close();
        if (!(e.getCause() instanceof BindException) || attempt == 50) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      }
    }
  }

  public int port() {
    return server.port();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The Host header of each request so far. */
  public List<String> hosts() {
    return List.copyOf(hosts);
  }

  @Override
  public void close() {
    server.close();
    telemetry.close();
  }
}
