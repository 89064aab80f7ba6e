package dev.firemesh.xds.server;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After a state-of-the-world NACK, waits for a new version instead of re-sending the rejected one.
 *
 * <p>A NACK carries the last version the client accepted; java-control-plane sees that it differs
 * from the snapshot's and answers at once with the same rejected resources, which the client
 * rejects again: a loop at network speed until the mesh changes. This rewrites a NACK's version to
 * the version it rejected, which the cache then treats as current, so the next response is the next
 * change. (Delta streams are passed through: their NACKs of named EDS/RDS resources can still loop
 * inside java-control-plane.)
 */
final class NackedVersionHold implements ServerInterceptor {

  private record Sent(String nonce, String version) {}

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    // Responses are sent from stream executors while requests arrive on gRPC's: hence concurrent.
    Map<String, Sent> latest = new ConcurrentHashMap<>();
    ServerCall<Q, R> recording =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void sendMessage(R message) {
            if (message instanceof DiscoveryResponse response) {
              latest.put(
                  response.getTypeUrl(), new Sent(response.getNonce(), response.getVersionInfo()));
            }
            super.sendMessage(message);
          }
        };
    return new SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
      @Override
      @SuppressWarnings("unchecked") // a DiscoveryRequest in, a DiscoveryRequest out
      public void onMessage(Q message) {
        if (message instanceof DiscoveryRequest request && request.hasErrorDetail()) {
          Sent rejected = latest.get(request.getTypeUrl());
          if (rejected != null && rejected.nonce().equals(request.getResponseNonce())) {
            message = (Q) request.toBuilder().setVersionInfo(rejected.version()).build();
          }
        }
        super.onMessage(message);
      }
    };
  }
}
