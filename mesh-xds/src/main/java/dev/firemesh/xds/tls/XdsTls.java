package dev.firemesh.xds.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLContext;

/**
 * The xDS stream's TLS, both ends: TLS 1.3 or 1.2, ALPN h2 as gRPC requires, over a JDK {@link
 * SSLContext} made elsewhere whose key and trust managers follow renewals and rotations (so the
 * server and long-lived channels never need rebuilding).
 */
public final class XdsTls {
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private XdsTls() {}

  /** The control plane's side: a client certificate is always required. */
  public static SslContext server(SSLContext context) {
    return wrap(context, false, ClientAuth.REQUIRE);
  }

  /** A node's side; gRPC checks the server's certificate against the host name it dials. */
  public static SslContext client(SSLContext context) {
    return wrap(context, true, ClientAuth.NONE);
  }

  @SuppressWarnings("deprecation") // the one public constructor over an SSLContext made elsewhere
  private static SslContext wrap(SSLContext context, boolean client, ClientAuth clientAuth) {
    return new JdkSslContext(
        context,
        client,
        null,
        IdentityCipherSuiteFilter.INSTANCE,
        new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2),
        clientAuth,
        PROTOCOLS,
        false);
  }
}
