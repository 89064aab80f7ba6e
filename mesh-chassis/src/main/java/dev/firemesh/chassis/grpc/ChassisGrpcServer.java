package dev.firemesh.chassis.grpc;

import dev.firemesh.chassis.telemetry.ServiceTelemetry;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The service's gRPC server: grpc-java on Netty, on loopback behind the sidecar, every call handled
 * on a virtual thread of its own and instrumented by the chassis (golden metrics with the gRPC
 * status, a server span, the trace in the log context and in the service's own calls).
 */
public final class ChassisGrpcServer implements AutoCloseable {
  private final Server server;
  private final ExecutorService executor;

  private ChassisGrpcServer(Server server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code address} (port 0 for an ephemeral one) and serves {@code services}, each given as
   * a generated {@code *ImplBase} or a hand-built {@link ServerServiceDefinition}.
   *
   * @throws UncheckedIOException if the address cannot be bound, naming it
   */
  public static ChassisGrpcServer start(
      InetSocketAddress address, List<Object> services, ServiceTelemetry telemetry) {
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address).executor(executor);
    ServerTelemetry instrumentation = new ServerTelemetry(telemetry);
    for (Object service : services) {
      ServerServiceDefinition definition =
          switch (service) {
            case BindableService bindable -> bindable.bindService();
            case ServerServiceDefinition defined -> defined;
            default ->
                throw new IllegalArgumentException(
                    "a gRPC service is a BindableService or a ServerServiceDefinition, not "
                        + service.getClass().getName());
          };
      builder.addService(ServerInterceptors.intercept(definition, instrumentation));
    }
    try {
      return new ChassisGrpcServer(builder.build().start(), executor);
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException(
          "cannot listen on " + address.getHostString() + ":" + address.getPort(), e);
    }
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().getFirst();
  }

  /**
   * Takes no new calls, waits up to {@code grace} for the ones in flight, then cancels the rest.
   */
  public void stop(Duration grace) {
    server.shutdown();
    try {
      if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    executor.shutdownNow();
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }
}
