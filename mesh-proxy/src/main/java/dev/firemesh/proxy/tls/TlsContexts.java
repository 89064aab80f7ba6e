package dev.firemesh.proxy.tls;

import dev.firemesh.identity.SvidVerifier;
import dev.firemesh.identity.WorkloadCredentials;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import javax.net.ssl.SSLException;

/**
 * The TLS contexts made from one set of credentials: the inbound listener's (client certificate
 * required; ALPN offers h2 and http/1.1) and the caller's, one per ALPN ask (http/1.1 for pooled
 * connections and tunnels, h2 for multiplexed connections). Immutable; replaced whole on renewal,
 * so a connection keeps the context it was made with.
 */
public record TlsContexts(
    WorkloadCredentials credentials,
    SvidVerifier verifier,
    TlsProvider provider,
    SslContext server,
    SslContext clientHttp1,
    SslContext clientH2) {

  static TlsContexts of(
      WorkloadCredentials credentials,
      TlsProvider provider,
      TlsProtocols protocols,
      InstantSource clock)
      throws SSLException {
    SvidVerifier verifier = SvidVerifier.of(credentials);
    SvidTrustManager trust = new SvidTrustManager(verifier, clock);
    X509Certificate[] chain = credentials.chain().toArray(X509Certificate[]::new);
    SslContext server =
        configure(
                SslContextBuilder.forServer(credentials.privateKey(), chain)
                    .clientAuth(ClientAuth.REQUIRE),
                provider,
                protocols,
                trust,
                ApplicationProtocolNames.HTTP_2,
                ApplicationProtocolNames.HTTP_1_1)
            .build();
    return new TlsContexts(
        credentials,
        verifier,
        provider,
        server,
        client(credentials, chain, provider, protocols, trust, ApplicationProtocolNames.HTTP_1_1),
        client(credentials, chain, provider, protocols, trust, ApplicationProtocolNames.HTTP_2));
  }

  private static SslContext client(
      WorkloadCredentials credentials,
      X509Certificate[] chain,
      TlsProvider provider,
      TlsProtocols protocols,
      SvidTrustManager trust,
      String alpn)
      throws SSLException {
    return configure(
            SslContextBuilder.forClient()
                .keyManager(credentials.privateKey(), chain)
                // Netty 4.2 verifies host names by default; a mesh peer proves a SPIFFE ID instead.
                .endpointIdentificationAlgorithm(null),
            provider,
            protocols,
            trust,
            alpn)
        .build();
  }

  private static SslContextBuilder configure(
      SslContextBuilder builder,
      TlsProvider provider,
      TlsProtocols protocols,
      SvidTrustManager trust,
      String... alpn) {
    return builder
        .sslProvider(provider.netty())
        .trustManager(trust)
        .protocols(protocols.protocols())
        .ciphers(protocols.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(
            new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                // the only behaviours every provider supports
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                alpn));
  }
}
