package dev.firemesh.bench.fanout;

import dev.firemesh.identity.WorkloadCredentials;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * How a fleet's connections to the xDS server prove who is asking. A real control plane serves a
 * node only over TLS, only if the connection presents an SVID, and only for the service that SVID
 * names: so each service's sidecars ride connections of their own that present that service's
 * certificate ({@link Svids}). {@link Plaintext} is for stand-ins that speak plaintext ADS.
 */
public sealed interface XdsChannelSecurity {

  /** No TLS: a real control plane refuses it; for in-process stand-ins only. */
  static XdsChannelSecurity plaintext() {
    return new Plaintext();
  }

  /** Each service's connections present that service's SVID and trust its bundle. */
  static XdsChannelSecurity svids(Map<String, WorkloadCredentials> byService) {
    return new Svids(byService);
  }

  /** Plaintext HTTP/2. */
  record Plaintext() implements XdsChannelSecurity {}

  /**
   * TLS with a workload certificate per service.
   *
   * @param byService the credentials each service's connections present, by service name
   */
  record Svids(Map<String, WorkloadCredentials> byService) implements XdsChannelSecurity {
    public Svids {
      byService = Map.copyOf(byService);
    }

    /**
     * The client TLS of {@code service}'s connections: its SVID chain and key, and its bundle's
     * roots only (gRPC checks the control plane's certificate against the host name it dials).
     *
     * @throws IllegalArgumentException if there are no credentials for {@code service}
     */
    SslContext clientTls(String service) {
      WorkloadCredentials credentials = byService.get(Objects.requireNonNull(service, "service"));
      if (credentials == null) {
        throw new IllegalArgumentException(
            "no SVID for service \"" + service + "\"; have " + byService.keySet());
      }
      try {
        return GrpcSslContexts.forClient()
            .keyManager(
                credentials.privateKey(), credentials.chain().toArray(X509Certificate[]::new))
            .trustManager(credentials.trustBundle().toArray(X509Certificate[]::new))
            .build();
      } catch (SSLException e) {
        throw new IllegalStateException(
            "cannot set up TLS with " + credentials + ": " + e.getMessage(), e);
      }
    }
  }
}
