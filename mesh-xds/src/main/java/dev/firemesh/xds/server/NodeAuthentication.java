package dev.firemesh.xds.server;

import dev.firemesh.api.identity.SpiffeId;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How the xDS server knows who is asking: TLS in which every node must present a certificate, and
 * what a presented chain proves. A node's stream is served only if its chain proves a workload
 * identity, and only for the service that identity names: a sidecar of {@code orders} cannot read
 * the configuration of {@code risk} by calling itself {@code risk}.
 *
 * @param tls the server's key and the trust for clients (the chain is checked against the mesh's
 *     trust bundle in the handshake); a client certificate is required whatever it says
 * @param identify what a verified chain proves; throws if it is not a workload's SVID
 */
public record NodeAuthentication(SSLContext tls, PeerIdentifier identify) {
  public NodeAuthentication {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(identify, "identify");
  }

  /** Turns a client's certificate chain (leaf first) into the workload identity it proves. */
  @FunctionalInterface
  public interface PeerIdentifier {
    /**
     * @throws CertificateException if the chain is not an SVID of the mesh, saying why
     */
    SpiffeId identify(X509Certificate[] chain) throws CertificateException;
  }
}
