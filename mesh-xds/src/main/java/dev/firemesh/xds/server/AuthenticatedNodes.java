package dev.firemesh.xds.server;

import com.google.protobuf.Value;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a stream only to a node whose TLS client certificate proves a workload identity, and only
 * for that identity's service: the node's {@code cluster} (the service it asks configuration for)
 * must be the service its SVID names. A node that claims another service has its stream closed with
 * {@code PERMISSION_DENIED}; one without a workload certificate with {@code UNAUTHENTICATED}. The
 * verified identity is written into the node's metadata ({@link
 * NodeIdentity#VERIFIED_IDENTITY_KEY}), replacing whatever the node sent there, so that node status
 * shows who each node proved to be.
 *
 * <p>Runs after {@link StickyNode}, so every request it sees carries the stream's node.
 */
final class AuthenticatedNodes implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthenticatedNodes.class);

  private final NodeAuthentication.PeerIdentifier identify;

  AuthenticatedNodes(NodeAuthentication.PeerIdentifier identify) {
    this.identify = identify;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SpiffeId identity;
    try {
      identity = identify.identify(peerChain(call));
    } catch (CertificateException e) {
      log.warn(
          "xDS stream refused remote={} reason=\"{}\"",
          call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
          e.getMessage());
      call.close(
          Status.UNAUTHENTICATED.withDescription(
              "xDS needs the workload's certificate (an SVID of this mesh): " + e.getMessage()),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      // gRPC delivers one call's messages one at a time, so this needs no lock.
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        Node node = node(message);
        if (node.getId().isEmpty()) {
          super.onMessage(message);
          return;
        }
        if (!node.getCluster().equals(identity.service())) {
          refused = true;
          log.warn(
              "xDS stream refused node={} claimed_service={} identity={}",
              node.getId(),
              node.getCluster(),
              identity);
          call.close(
              Status.PERMISSION_DENIED.withDescription(
                  "node "
                      + node.getId()
                      + " asks for the configuration of service \""
                      + node.getCluster()
                      + "\" (node.cluster), but its certificate proves "
                      + identity),
              new Metadata());
          return;
        }
        super.onMessage(withVerifiedIdentity(message, node, identity));
      }
    };
  }

  private static X509Certificate[] peerChain(ServerCall<?, ?> call) throws CertificateException {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      throw new CertificateException("the connection is not TLS");
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new CertificateException("no client certificate was presented", e);
    }
    return Arrays.stream(chain).map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
  }

  private static Node node(Object message) {
    if (message instanceof DiscoveryRequest request) {
      return request.getNode();
    }
    if (message instanceof DeltaDiscoveryRequest request) {
      return request.getNode();
    }
    return Node.getDefaultInstance();
  }

  @SuppressWarnings("unchecked") // each branch returns the type it was given
  private static <Q> Q withVerifiedIdentity(Q message, Node node, SpiffeId identity) {
    Node stamped =
        node.toBuilder()
            .setMetadata(
                node.getMetadata().toBuilder()
                    .putFields(
                        NodeIdentity.VERIFIED_IDENTITY_KEY,
                        Value.newBuilder().setStringValue(identity.toString()).build()))
            .build();
    if (message instanceof DiscoveryRequest request) {
      return (Q) request.toBuilder().setNode(stamped).build();
    }
    return (Q) ((DeltaDiscoveryRequest) message).toBuilder().setNode(stamped).build();
  }
}
