package dev.firemesh.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written ADS client over the generated stubs, for what grpc-java's own client cannot show:
 * delta xDS, NACKs, and exactly which responses arrive. Requests go out from the test thread only.
 */
final class RawAdsClient implements AutoCloseable {
  private static final long WAIT_SECONDS = 10;

  private final ManagedChannel channel;
  final Node node;

  RawAdsClient(int port, String nodeId) {
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    this.node = Node.newBuilder().setId(nodeId).setCluster("test").build();
  }

  Stream<DiscoveryRequest, DiscoveryResponse> stateOfTheWorld() {
    Stream<DiscoveryRequest, DiscoveryResponse> stream = new Stream<>();
    stream.requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(stream);
    return stream;
  }

  Stream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> delta() {
    Stream<DeltaDiscoveryRequest, DeltaDiscoveryResponse> stream = new Stream<>();
    stream.requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(stream);
    return stream;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** One ADS stream: send requests, take responses in arrival order. */
  static final class Stream<Q, R> implements StreamObserver<R> {
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private StreamObserver<Q> requests;

    void send(Q request) {
      requests.onNext(request);
    }

    /** The next response; fails the test if none comes within ten seconds. */
    @SuppressWarnings("unchecked")
    R next() throws InterruptedException {
      Object item = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertThat(item).as("a response within %d s", WAIT_SECONDS).isNotNull();
      if (item instanceof Throwable error) {
        throw new AssertionError("the stream failed", error);
      }
      return (R) item;
    }

    /** True if nothing has arrived yet (checked without waiting). */
    boolean nothingReceived() {
      return received.isEmpty();
    }

    void complete() {
      requests.onCompleted();
    }

    @Override
    public void onNext(R response) {
      received.add(response);
    }

    @Override
    public void onError(Throwable error) {
      received.add(error);
    }

    @Override
    public void onCompleted() {}
  }
}
