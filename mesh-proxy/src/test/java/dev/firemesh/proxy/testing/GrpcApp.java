package dev.firemesh.proxy.testing;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * The local application behind a sidecar when it is a gRPC server: real grpc-java on an ephemeral
 * loopback port, byte-array messages (no generated code). Service {@code firemesh.test.Orders}:
 *
 * <ul>
 *   <li>{@code Echo} (unary): answers with the request
 *   <li>{@code Download} (server streaming): request {@code count, size, pauseMicros} (three ints);
 *       answers {@code count} messages of {@code size} bytes, the {@link GeneratedBody} bytes in
 *       order, sent as the transport is ready for them
 *   <li>{@code Upload} (client streaming): reads every message, pausing {@code pauseMicros} (from
 *       the {@code pause-micros} header; 200 ms after the first message) before asking for the
 *       next; answers {@code "<messages> <bytes> <crc>"}
 *   <li>{@code Chat} (bidirectional): answers each message with itself, as it arrives
 *   <li>{@code Fail} (unary): request {@code "<code>:<description>"}; closes with that status
 *   <li>{@code Hang} (unary): never answers; counts down {@link #cancelled()} when cancelled
 * </ul>
 */
public final class GrpcApp implements AutoCloseable {
  public static final String SERVICE = "firemesh.test.Orders";
  public static final MethodDescriptor<byte[], byte[]> ECHO =
      method("Echo", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<byte[], byte[]> DOWNLOAD =
      method("Download", MethodDescriptor.MethodType.SERVER_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> UPLOAD =
      method("Upload", MethodDescriptor.MethodType.CLIENT_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> CHAT =
      method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
  public static final MethodDescriptor<byte[], byte[]> FAIL =
      method("Fail", MethodDescriptor.MethodType.UNARY);
  public static final MethodDescriptor<byte[], byte[]> HANG =
      method("Hang", MethodDescriptor.MethodType.UNARY);

  public static final Metadata.Key<String> PAUSE_MICROS =
      Metadata.Key.of("pause-micros", Metadata.ASCII_STRING_MARSHALLER);

  private final AtomicReference<Metadata> lastHeaders = new AtomicReference<>();
  private final CountDownLatch hanging = new CountDownLatch(1);
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final AtomicInteger calls = new AtomicInteger();
  private final Server server;

  public GrpcApp() {
    ServerServiceDefinition service =
        ServerServiceDefinition.builder(SERVICE)
            .addMethod(
                ECHO,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      response.onNext(request);
                      response.onCompleted();
                    }))
            .addMethod(DOWNLOAD, ServerCalls.asyncServerStreamingCall(GrpcApp::download))
            .addMethod(UPLOAD, ServerCalls.asyncClientStreamingCall(GrpcApp::upload))
            .addMethod(CHAT, chat())
            .addMethod(
                FAIL,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      String[] parts = new String(request, StandardCharsets.UTF_8).split(":", 2);
                      response.onError(
                          Status.fromCodeValue(Integer.parseInt(parts[0]))
                              .withDescription(parts[1])
                              .asRuntimeException());
                    }))
            .addMethod(
                HANG,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      ((ServerCallStreamObserver<byte[]>) response)
                          .setOnCancelHandler(cancelled::countDown);
                      hanging.countDown();
                    }))
            .build();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            // A fixed window (no bandwidth-probing growth): how much a stalled call can take in
            // is then known, and the back-pressure tests do not depend on timing.
            .flowControlWindow(1024 * 1024)
            .addService(ServerInterceptors.intercept(service, new Recorder()))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ServerCallHandler<byte[], byte[]> chat() {
    return ServerCalls.asyncBidiStreamingCall(
        response ->
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] message) {
                response.onNext(message);
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                response.onCompleted();
              }
            });
  }

  private static void download(byte[] request, StreamObserver<byte[]> response) {
    ByteBuffer ask = ByteBuffer.wrap(request);
    int count = ask.getInt();
    int size = ask.getInt();
    long pauseMicros = ask.getInt();
    ServerCallStreamObserver<byte[]> out = (ServerCallStreamObserver<byte[]>) response;
    int[] sent = {0};
    // Sends while the transport is ready: the server's own buffering stays small, and a slow reader
    // anywhere downstream makes it wait.
    Runnable drain =
        () -> {
          while (out.isReady() && sent[0] < count && !out.isCancelled()) {
            byte[] message = new byte[size];
            GeneratedBody.fill(message, 0, size, (long) sent[0] * size);
            out.onNext(message);
            sent[0]++;
            if (pauseMicros > 0) {
              LockSupport.parkNanos(pauseMicros * 1_000);
            }
          }
          if (sent[0] == count) {
            sent[0]++;
            out.onCompleted();
          }
        };
    out.setOnReadyHandler(drain);
    drain.run();
  }

  private static StreamObserver<byte[]> upload(StreamObserver<byte[]> response) {
    ServerCallStreamObserver<byte[]> out = (ServerCallStreamObserver<byte[]>) response;
    String pause = PAUSE.get();
    long pauseMicros = pause == null ? 0 : Long.parseLong(pause);
    out.disableAutoRequest();
    out.request(1);
    return new StreamObserver<>() {
      final CRC32 crc = new CRC32();
      long bytes;
      int messages;

      @Override
      public void onNext(byte[] message) {
        crc.update(message);
        bytes += message.length;
        messages++;
        if (pauseMicros > 0) {
          // A long stall after the first message lets every window on the way fill up.
          LockSupport.parkNanos(messages == 1 ? 200_000_000L : pauseMicros * 1_000);
        }
        out.request(1);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onNext(
            (messages + " " + bytes + " " + crc.getValue()).getBytes(StandardCharsets.UTF_8));
        out.onCompleted();
      }
    };
  }

  private static final Context.Key<String> PAUSE = Context.key("pause-micros");

  /** Keeps each call's request headers, and hands {@code pause-micros} to the handlers. */
  private final class Recorder implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      lastHeaders.set(headers);
      calls.incrementAndGet();
      Context context = Context.current().withValue(PAUSE, headers.get(PAUSE_MICROS));
      return Contexts.interceptCall(context, call, headers, next);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** The request headers of the latest call. */
  public Metadata lastHeaders() {
    return lastHeaders.get();
  }

  public int calls() {
    return calls.get();
  }

  /** Counts down when a {@code Hang} call arrived. */
  public CountDownLatch hanging() {
    return hanging;
  }

  /** Counts down when a {@code Hang} call was cancelled by its caller. */
  public CountDownLatch cancelled() {
    return cancelled;
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static MethodDescriptor<byte[], byte[]> method(
      String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
        .setRequestMarshaller(Bytes.INSTANCE)
        .setResponseMarshaller(Bytes.INSTANCE)
        .build();
  }

  /** Messages as they are: the tests make and check the bytes themselves. */
  public static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    public static final Bytes INSTANCE = new Bytes();

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
