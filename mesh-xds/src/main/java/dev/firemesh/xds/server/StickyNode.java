package dev.firemesh.xds.server;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Remembers the node a stream named in its first request and puts it on later requests that leave
 * it out. The xDS protocol lets a client send the node only once (Envoy does with {@code
 * set_node_on_first_message_only}), but java-control-plane's cache picks the snapshot from each
 * request's node, so without this such a client would be served no snapshot at all.
 */
final class StickyNode implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      // gRPC delivers one call's messages one at a time, so this needs no lock.
      private Node node = Node.getDefaultInstance();

      @Override
      public void onMessage(Q message) {
        super.onMessage(withNode(message));
      }

      @SuppressWarnings("unchecked") // each branch returns the type it was given
      private Q withNode(Q message) {
        if (message instanceof DiscoveryRequest request) {
          if (!request.getNode().getId().isEmpty()) {
            node = request.getNode();
          } else if (!node.getId().isEmpty()) {
            return (Q) request.toBuilder().setNode(node).build();
          }
        } else if (message instanceof DeltaDiscoveryRequest request) {
          if (!request.getNode().getId().isEmpty()) {
            node = request.getNode();
          } else if (!node.getId().isEmpty()) {
            return (Q) request.toBuilder().setNode(node).build();
          }
        }
        return message;
      }
    };
  }
}
