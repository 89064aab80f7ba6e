package dev.firemesh.proxy.testing;

import dev.firemesh.proxy.Sidecar;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The mesh in miniature: an application calling service {@code orders} through its sidecar ({@link
 * #caller}), whose outbound listener sends to the inbound listener of the sidecar in front of the
 * {@code orders} application ({@link #callee}, {@link #app}). Everything on ephemeral loopback
 * ports.
 */
public final class SidecarPair implements AutoCloseable {
  public final TestApp app;
  public final FirstRouteRouter callerRouter = new FirstRouteRouter();
  public final FirstRouteRouter calleeRouter = new FirstRouteRouter();
  public final Sidecar caller;
  public final Sidecar callee;

  public SidecarPair() throws IOException {
    this(UnaryOperator.identity());
  }

  public SidecarPair(UnaryOperator<Sidecar.Builder> settings) throws IOException {
    app = new TestApp().start();
    callee =
        settings
            .apply(ephemeral(Sidecar.builder().router(calleeRouter).localAppPort(app.port())))
            .build()
            .start();
    caller =
        settings
            .apply(ephemeral(Sidecar.builder().router(callerRouter).localAppPort(app.port())))
            .build()
            .start();
    callee.apply(MeshConfigs.builder().build("callee-1"));
    caller.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", callee.inboundAddress().getPort())
            .build("caller-1"));
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
    app.close();
  }
}
