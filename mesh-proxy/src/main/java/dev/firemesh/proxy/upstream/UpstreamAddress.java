package dev.firemesh.proxy.upstream;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where to connect: an IP literal (as endpoints come from the control plane) or a host name, and
 * who must answer there.
 *
 * @param identity the SPIFFE ID the endpoint must prove over mTLS; empty for plaintext (the local
 *     app, endpoints without an identity). Part of the pool's key: a connection verified for one
 *     identity never carries a request meant for another.
 * @param cluster the cluster the endpoint was picked from, for metric labels only: it takes no part
 *     in equality, so clusters sharing an endpoint share its connections
 */
public record UpstreamAddress(String host, int port, String identity, String cluster) {

  public UpstreamAddress {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("upstream port out of range 1-65535: " + port);
    }
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(cluster, "cluster");
  }

  /** A plaintext address outside any cluster. */
  public UpstreamAddress(String host, int port) {
    this(host, port, "", "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UpstreamAddress that
        && port == that.port
        && host.equals(that.host)
        && identity.equals(that.identity);
  }

  @Override
  public int hashCode() {
    return (host.hashCode() * 31 + port) * 31 + identity.hashCode();
  }

  /**
   * The socket address. An IP literal is used as is; a host name is left unresolved for Netty's
   * resolver, which looks it up on the event loop (fine for {@code localhost}, not for DNS).
   */
  InetSocketAddress socketAddress() {
    byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
    if (ip == null) {
      return InetSocketAddress.createUnresolved(host, port);
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a parsed IP literal was refused: " + host, e);
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
