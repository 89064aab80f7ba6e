package dev.firemesh.xds.client;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.Objects;

/**
 * One state-of-the-world discovery stream (ADS, RTDS, any {@code Stream*} xDS call) seen from the
 * client: it holds the request side once gRPC starts the call, and hands responses and the stream's
 * end to its listeners. Pass it to the generated stub's stream method; its callbacks run on the
 * channel's executor, which for our clients is their protocol thread, so it needs no locking.
 * Public for the chassis's RTDS client, which speaks to the control plane the same way {@link
 * AdsClient} does.
 */
public final class DiscoveryStream
    implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {

  /** Receives a stream's responses; called on the protocol thread. */
  @FunctionalInterface
  public interface ResponseListener {
    /** A response arrived on {@code from}, which may be a stream the client has since replaced. */
    void onResponse(DiscoveryStream from, DiscoveryResponse response);
  }

  /** Hears that a stream ended; called on the protocol thread. */
  @FunctionalInterface
  public interface EndListener {
    /**
     * {@code from} ended: with the server's or the transport's error, or {@code UNAVAILABLE} when
     * the server completed it (a control plane never ends a healthy stream on purpose).
     */
    void onEnd(DiscoveryStream from, Status cause);
  }

  private final ResponseListener responses;
  private final EndListener end;
  private ClientCallStreamObserver<DiscoveryRequest> requests;
  private boolean answered;

  public DiscoveryStream(ResponseListener responses, EndListener end) {
    this.responses = Objects.requireNonNull(responses, "responses");
    this.end = Objects.requireNonNull(end, "end");
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
    this.requests = requestStream;
  }

  /** Sends a request (a subscription, an ACK or a NACK) on this stream. */
  public void send(DiscoveryRequest request) {
    requests.onNext(request);
  }

  /** Ends the stream from this side, as a closing client does. */
  public void cancel() {
    requests.cancel("client closed", null);
  }

  /**
   * Notes that the server has answered on this stream; true the first time, which is when the
   * client counts the stream as established (and resets its back-off).
   */
  public boolean markAnswered() {
    boolean first = !answered;
    answered = true;
    return first;
  }

  /** Whether the server answered on this stream at least once ({@link #markAnswered}). */
  public boolean answered() {
    return answered;
  }

  @Override
  public void onNext(DiscoveryResponse response) {
    responses.onResponse(this, response);
  }

  @Override
  public void onError(Throwable error) {
    end.onEnd(this, Status.fromThrowable(error));
  }

  @Override
  public void onCompleted() {
    end.onEnd(this, Status.UNAVAILABLE.withDescription("the server ended the stream"));
  }
}
