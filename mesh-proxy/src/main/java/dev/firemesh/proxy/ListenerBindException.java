package dev.firemesh.proxy;

import java.net.InetSocketAddress;

/** A listener could not listen on its address, typically because another process holds it. */
public final class ListenerBindException extends RuntimeException {
  private final String listener;
  private final InetSocketAddress address;

  ListenerBindException(String listener, InetSocketAddress address, Throwable cause) {
    super(
        "the sidecar's "
            + listener
            + " listener cannot listen on "
            + address.getHostString()
            + ":"
            + address.getPort()
            + ": "
            + cause.getMessage()
            + " (choose another port, or stop what holds it)",
        cause);
    this.listener = listener;
    this.address = address;
  }

  public String listener() {
    return listener;
  }

  public InetSocketAddress address() {
    return address;
  }
}
