package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.firemesh.proxy.testing.GeneratedBody;
import dev.firemesh.proxy.testing.GrpcApp;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.traffic.config.ClusterConfig;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gRPC client calls a gRPC server by logical name through two sidecars over HTTP/2: the client
 * speaks h2c to the caller's outbound listener, the sidecars multiplex streams between them, and
 * the callee's sidecar speaks h2c to the server. Real grpc-java at both ends.
 */
class GrpcThroughSidecarsTest {

  private static GrpcApp app;
  private static SidecarPair mesh;
  private static ManagedChannel orders;

  @BeforeAll
  static void start() {
    app = new GrpcApp();
    mesh =
        SidecarPair.inFrontOf(
            app, app.port(), ClusterConfig.Protocol.HTTP2, UnaryOperator.identity());
    mesh.caller.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", ClusterConfig.Protocol.HTTP2, mesh.callee.inboundAddress().getPort())
            .service("drained", "drained")
            .cluster("drained", ClusterConfig.Protocol.HTTP2)
            .build("caller-grpc"));
    orders = channel(mesh.outbound(), "orders");
  }

  @AfterAll
  static void stop() {
    orders.shutdownNow();
    mesh.close();
  }

  @AfterEach
  void everyLeaseIsClosedExactlyOnce() {
    await().until(() -> mesh.callerRouter.openLeases() == 0);
    assertThat(mesh.callerRouter.extraCloses()).isZero();
  }

  /** A gRPC channel to the sidecar's outbound listener, naming the service as its authority. */
  private static ManagedChannel channel(InetSocketAddress outbound, String service) {
    return NettyChannelBuilder.forAddress(outbound)
        .overrideAuthority(service)
        .usePlaintext()
        .flowControlWindow(1024 * 1024) // fixed, as the server's (see GrpcApp)
        .build();
  }

  @Test
  void aUnaryCallReachesTheServerThroughBothSidecars() {
    byte[] answer =
        ClientCalls.blockingUnaryCall(
            orders,
            GrpcApp.ECHO,
            options(),
            "buy 100 XS0000000001".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("buy 100 XS0000000001");
    Metadata seen = app.lastHeaders();
    assertThat(seen.get(key("via"))).isEqualTo("2 firemesh, 2 firemesh");
    assertThat(seen.get(key("x-request-id"))).matches("[0-9a-f]{32}");
    assertThat(seen.get(key("x-forwarded-for"))).isEqualTo("127.0.0.1, 127.0.0.1");
    assertThat(seen.keys()).noneMatch(name -> name.startsWith("x-http2-"));
  }

  @Test
  void serverStreamingDeliversEveryMessageInOrder() {
    Iterator<byte[]> messages =
        ClientCalls.blockingServerStreamingCall(
            orders, GrpcApp.DOWNLOAD, options(), download(1_000, 1024, 0));

    CRC32 crc = new CRC32();
    int count = 0;
    while (messages.hasNext()) {
      crc.update(messages.next());
      count++;
    }

    assertThat(count).isEqualTo(1_000);
    assertThat(crc.getValue()).isEqualTo(GeneratedBody.crc(1_000 * 1024L));
  }

  @Test
  void clientStreamingDeliversEveryMessage() throws Exception {
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    StreamObserver<byte[]> requests =
        ClientCalls.asyncClientStreamingCall(
            orders.newCall(GrpcApp.UPLOAD, options()), observer(answer));
    CRC32 crc = new CRC32();
    for (int i = 0; i < 500; i++) {
      byte[] message = new byte[4096];
      GeneratedBody.fill(message, 0, message.length, i * 4096L);
      crc.update(message);
      requests.onNext(message);
    }
    requests.onCompleted();

    String summary = new String(answer.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);

    assertThat(summary).isEqualTo("500 " + 500 * 4096 + " " + crc.getValue());
  }

  @Test
  void bidirectionalStreamingAnswersEachMessageBeforeTheNextIsSent() throws Exception {
    BlockingQueue<byte[]> answers = new ArrayBlockingQueue<>(10);
    CompletableFuture<Void> completed = new CompletableFuture<>();
    StreamObserver<byte[]> requests =
        ClientCalls.asyncBidiStreamingCall(
            orders.newCall(GrpcApp.CHAT, options()),
            new StreamObserver<>() {
              @Override
              public void onNext(byte[] value) {
                answers.add(value);
              }

              @Override
              public void onError(Throwable t) {
                completed.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {
                completed.complete(null);
              }
            });

    // Ping-pong: a proxy that held messages until the stream ended would stall here.
    for (int i = 0; i < 100; i++) {
      String quote = "quote " + i;
      requests.onNext(quote.getBytes(StandardCharsets.UTF_8));
      byte[] echoed = answers.poll(10, TimeUnit.SECONDS);
      assertThat(echoed).isNotNull();
      assertThat(new String(echoed, StandardCharsets.UTF_8)).isEqualTo(quote);
    }
    requests.onCompleted();

    completed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aNonOkStatusAndItsMessageReachTheClient() {
    String description = "no such order: 42 (état – 100% sûr)";
    byte[] request =
        (Status.Code.NOT_FOUND.value() + ":" + description).getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(orders, GrpcApp.FAIL, options(), request))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo(description);
            });
  }

  @Test
  void cancellingACallCancelsItAtTheServer() throws Exception {
    ClientCall<byte[], byte[]> call = orders.newCall(GrpcApp.HANG, options());
    CompletableFuture<byte[]> answer = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(call, new byte[] {1}, observer(answer));
    assertThat(app.hanging().await(10, TimeUnit.SECONDS)).isTrue();

    call.cancel("the trader changed their mind", null);

    assertThat(app.cancelled().await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anUnknownServiceIsAnsweredUnimplemented() {
    ManagedChannel unknown = channel(mesh.outbound(), "no-such-service");
    try {
      assertThatThrownBy(
              () -> ClientCalls.blockingUnaryCall(unknown, GrpcApp.ECHO, options(), new byte[] {1}))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
                assertThat(e.getStatus().getDescription())
                    .isEqualTo("unknown service: no-such-service");
              });
    } finally {
      unknown.shutdownNow();
    }
  }

  @Test
  void aServiceWithNoEndpointIsAnsweredUnavailable() {
    ManagedChannel drained = channel(mesh.outbound(), "drained");
    try {
      assertThatThrownBy(
              () -> ClientCalls.blockingUnaryCall(drained, GrpcApp.ECHO, options(), new byte[] {1}))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).isEqualTo("no healthy upstream");
              });
    } finally {
      drained.shutdownNow();
    }
  }

  @Test
  void manyConcurrentCallsShareOneConnectionPerHop() throws Exception {
    try (GrpcApp server = new GrpcApp();
        SidecarPair pair =
            SidecarPair.inFrontOf(
                () -> {}, server.port(), ClusterConfig.Protocol.HTTP2, UnaryOperator.identity())) {
      ManagedChannel channel = channel(pair.outbound(), "orders");
      try {
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          CompletableFuture<byte[]> answer = new CompletableFuture<>();
          ClientCalls.asyncUnaryCall(
              channel.newCall(GrpcApp.ECHO, options()), new byte[] {(byte) i}, observer(answer));
          answers.add(answer);
        }
        for (int i = 0; i < 200; i++) {
          assertThat(answers.get(i).get(30, TimeUnit.SECONDS)).containsExactly((byte) i);
        }

        for (Sidecar sidecar : new Sidecar[] {pair.caller, pair.callee}) {
          assertThat(sidecar.stats().upstreamConnectionsOpened()).isEqualTo(1);
          assertThat(sidecar.stats().upstreamStreamsOpened()).isEqualTo(200);
        }
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void callsWorkOnNioWithSeveralEventLoops() throws Exception {
    try (GrpcApp server = new GrpcApp();
        SidecarPair pair =
            SidecarPair.inFrontOf(
                () -> {},
                server.port(),
                ClusterConfig.Protocol.HTTP2,
                builder -> builder.nativeTransport(false).eventLoopThreads(3))) {
      ManagedChannel channel = channel(pair.outbound(), "orders");
      try {
        for (int i = 0; i < 20; i++) {
          byte[] request = ("order " + i).getBytes(StandardCharsets.UTF_8);
          assertThat(ClientCalls.blockingUnaryCall(channel, GrpcApp.ECHO, options(), request))
              .isEqualTo(request);
        }
        assertThat(pair.caller.transport()).isEqualTo("nio");
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aLargeDownloadToASlowReaderKeepsProxyBuffersBounded() throws Exception {
    try (GrpcApp server = new GrpcApp();
        SidecarPair pair = boundedPair(server);
        MemoryPeaks peaks = MemoryPeaks.watch(pair)) {
      ManagedChannel channel = channel(pair.outbound(), "orders");
      try {
        Iterator<byte[]> messages =
            ClientCalls.blockingServerStreamingCall(
                channel, GrpcApp.DOWNLOAD, options(), download(MESSAGES, MESSAGE_BYTES, 0));
        CRC32 crc = new CRC32();
        long bytes = 0;
        while (messages.hasNext()) {
          byte[] message = messages.next();
          crc.update(message);
          bytes += message.length;
          // A reader slower than the path to it, with a long stall at first that lets every
          // window on the way fill up.
          LockSupport.parkNanos(bytes == MESSAGE_BYTES ? 200_000_000L : 500_000);
        }

        assertThat(bytes).isEqualTo(TOTAL_BYTES);
        assertThat(crc.getValue()).isEqualTo(GeneratedBody.crc(TOTAL_BYTES));
        peaks.assertBounded(pair.caller);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aLargeUploadToASlowServerKeepsProxyBuffersBounded() throws Exception {
    try (GrpcApp server = new GrpcApp();
        SidecarPair pair = boundedPair(server);
        MemoryPeaks peaks = MemoryPeaks.watch(pair)) {
      Metadata headers = new Metadata();
      headers.put(GrpcApp.PAUSE_MICROS, "500");
      ManagedChannel channel = channel(pair.outbound(), "orders");
      try {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        CRC32 crc = new CRC32();
        ClientCalls.asyncClientStreamingCall(
            io.grpc.ClientInterceptors.intercept(
                    channel, MetadataUtils.newAttachHeadersInterceptor(headers))
                .newCall(GrpcApp.UPLOAD, options()),
            new FlowControlledUpload(crc, answer));

        String summary = new String(answer.get(60, TimeUnit.SECONDS), StandardCharsets.UTF_8);

        assertThat(summary).isEqualTo(MESSAGES + " " + TOTAL_BYTES + " " + crc.getValue());
        peaks.assertBounded(pair.callee);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static final int MESSAGES = 1024;
  private static final int MESSAGE_BYTES = 64 * 1024;
  private static final long TOTAL_BYTES = (long) MESSAGES * MESSAGE_BYTES;

  /** What one sidecar may hold in buffers while 64 MiB stream through it. */
  private static final long MAX_PROXY_DIRECT_BYTES = 16L * 1024 * 1024;

  /** A pair whose sidecars each have their own buffer pool, so each one's use can be read. */
  private static SidecarPair boundedPair(GrpcApp server) {
    return SidecarPair.inFrontOf(
        () -> {},
        server.port(),
        ClusterConfig.Protocol.HTTP2,
        builder -> builder.allocator(new PooledByteBufAllocator(true)));
  }

  /** Sends the upload as fast as the call is ready for it: gRPC's own flow control. */
  private static final class FlowControlledUpload
      implements ClientResponseObserver<byte[], byte[]> {
    private final CRC32 crc;
    private final CompletableFuture<byte[]> answer;
    private int sent;

    FlowControlledUpload(CRC32 crc, CompletableFuture<byte[]> answer) {
      this.crc = crc;
      this.answer = answer;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<byte[]> requests) {
      requests.setOnReadyHandler(
          () -> {
            while (requests.isReady() && sent < MESSAGES) {
              byte[] message = new byte[MESSAGE_BYTES];
              GeneratedBody.fill(message, 0, message.length, (long) sent * MESSAGE_BYTES);
              crc.update(message);
              requests.onNext(message);
              sent++;
            }
            if (sent == MESSAGES) {
              sent++;
              requests.onCompleted();
            }
          });
    }

    @Override
    public void onNext(byte[] value) {
      answer.complete(value);
    }

    @Override
    public void onError(Throwable t) {
      answer.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {}
  }

  /** Samples each sidecar's buffer pool while a transfer runs and keeps the highest use seen. */
  private static final class MemoryPeaks implements AutoCloseable {
    private final Thread sampler;
    private final AtomicLong callerPeak = new AtomicLong();
    private final AtomicLong calleePeak = new AtomicLong();
    private volatile boolean running = true;

    private MemoryPeaks(SidecarPair pair) {
      sampler =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (running) {
                      callerPeak.accumulateAndGet(direct(pair.caller), Math::max);
                      calleePeak.accumulateAndGet(direct(pair.callee), Math::max);
                      LockSupport.parkNanos(200_000);
                    }
                  });
    }

    static MemoryPeaks watch(SidecarPair pair) {
      return new MemoryPeaks(pair);
    }

    private static long direct(Sidecar sidecar) {
      return sidecar.statsWithGauges().get("allocator.direct.used_bytes");
    }

    /**
     * Both sidecars' buffers stayed small, and {@code nextToTheSlowSide} paused reading from the
     * fast side: back-pressure, not luck. (The other one may never need to: its peer stopped
     * sending when the window it granted ran out.)
     */
    void assertBounded(Sidecar nextToTheSlowSide) throws InterruptedException {
      running = false;
      sampler.join();
      assertThat(callerPeak.get()).isLessThan(MAX_PROXY_DIRECT_BYTES);
      assertThat(calleePeak.get()).isLessThan(MAX_PROXY_DIRECT_BYTES);
      assertThat(nextToTheSlowSide.stats().readsPausedCount()).isPositive();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      sampler.join();
    }
  }

  private static byte[] download(int count, int size, int pauseMicros) {
    return ByteBuffer.allocate(12).putInt(count).putInt(size).putInt(pauseMicros).array();
  }

  private static <T> StreamObserver<T> observer(CompletableFuture<T> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  /** A deadline per call, generous: a stuck proxy fails the test rather than hanging it. */
  private static CallOptions options() {
    return CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
