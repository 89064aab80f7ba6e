package dev.firemesh.xds.server;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server on loopback whose one unary method answers with the server's instance id, so a
 * test can see where each call went. Byte-array messages: no generated code needed.
 */
public final class IdentityServer implements AutoCloseable {
  public static final MethodDescriptor<byte[], byte[]> WHO =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("firemesh.test.Identity/Who")
          .setRequestMarshaller(new Bytes())
          .setResponseMarshaller(new Bytes())
          .build();

  private final Server server;
  private final String instanceId;

  private IdentityServer(Server server, String instanceId) {
    this.server = server;
    this.instanceId = instanceId;
  }

  public static IdentityServer start(String instanceId) {
    byte[] id = instanceId.getBytes(StandardCharsets.UTF_8);
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("firemesh.test.Identity")
            .addMethod(
                WHO,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      response.onNext(id);
                      response.onCompleted();
                    }))
            .build();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build();
    try {
      return new IdentityServer(server.start(), instanceId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Calls {@code Who} and returns the id of the instance that answered. */
  public static String who(Channel channel) {
    byte[] id =
        ClientCalls.blockingUnaryCall(
            channel,
            WHO,
            CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS),
            new byte[0]);
    return new String(id, StandardCharsets.UTF_8);
  }

  public int port() {
    return server.getPort();
  }

  public String instanceId() {
    return instanceId;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
