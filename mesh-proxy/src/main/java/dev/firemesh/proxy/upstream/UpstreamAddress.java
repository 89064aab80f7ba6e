package dev.firemesh.proxy.upstream;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Where to connect: an IP literal (as endpoints come from the control plane) or a host name. */
public record UpstreamAddress(String host, int port) {

  public UpstreamAddress {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("upstream port out of range 1-65535: " + port);
    }
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
