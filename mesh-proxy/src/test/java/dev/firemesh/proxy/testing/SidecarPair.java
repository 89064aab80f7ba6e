package dev.firemesh.proxy.testing;

import dev.firemesh.proxy.Sidecar;
import dev.firemesh.traffic.config.ClusterConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The mesh in miniature: an application calling service {@code orders} through its sidecar ({@link
 * #caller}), whose outbound listener sends to the inbound listener of the sidecar in front of the
 * {@code orders} application ({@link #callee}). Everything on ephemeral loopback ports.
 */
public final class SidecarPair implements AutoCloseable {
  private final AutoCloseable app;
  public final FirstRouteRouter callerRouter = new FirstRouteRouter();
  public final FirstRouteRouter calleeRouter = new FirstRouteRouter();
  public final Sidecar caller;
  public final Sidecar callee;

  /** In front of a {@link TestApp}, HTTP/1.1 between the sidecars. */
  public SidecarPair() throws IOException {
    this(UnaryOperator.identity());
  }

  public SidecarPair(UnaryOperator<Sidecar.Builder> settings) throws IOException {
    this(new TestApp().start(), ClusterConfig.Protocol.HTTP1, settings);
  }

  private SidecarPair(
      TestApp app, ClusterConfig.Protocol protocol, UnaryOperator<Sidecar.Builder> settings) {
    this(app, app.port(), protocol, settings);
  }

  private SidecarPair(
      AutoCloseable app,
      int appPort,
      ClusterConfig.Protocol protocol,
      UnaryOperator<Sidecar.Builder> settings) {
    this.app = app;
    callee =
        settings
            .apply(ephemeral(Sidecar.builder().router(calleeRouter).localAppPort(appPort)))
            .build()
            .start();
    caller =
        settings
            .apply(ephemeral(Sidecar.builder().router(callerRouter).localAppPort(appPort)))
            .build()
            .start();
    callee.apply(MeshConfigs.builder().build("callee-1"));
    caller.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", protocol, callee.inboundAddress().getPort())
            .build("caller-1"));
  }

  /**
   * A pair in front of an application already listening on {@code appPort}, whose sidecars speak
   * {@code protocol} to each other; the application is closed with the pair.
   */
  public static SidecarPair inFrontOf(
      AutoCloseable app,
      int appPort,
      ClusterConfig.Protocol protocol,
      UnaryOperator<Sidecar.Builder> settings) {
    return new SidecarPair(app, appPort, protocol, settings);
  }

  public static Sidecar.Builder ephemeral(Sidecar.Builder builder) {
    return builder.outboundPort(0).inboundPort(0).adminPort(0);
  }

  /** A client using the caller's sidecar as its HTTP proxy, as an application would. */
  public HttpClient client() {
    return client(HttpClient.Version.HTTP_1_1);
  }

  public HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder()
        .version(version)
        .proxy(ProxySelector.of(caller.outboundAddress()))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  public InetSocketAddress outbound() {
    return caller.outboundAddress();
  }

  @Override
  public void close() {
    caller.close();
    callee.close();
    try {
      app.close();
    } catch (Exception e) {
      throw new IllegalStateException("the application behind the pair did not close", e);
    }
  }
}
