package dev.firemesh.control;

import java.net.InetSocketAddress;

/** A listener of the control plane could not take its port because something else holds it. */
public final class PortInUseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String listener;
  private final transient InetSocketAddress address;

  /**
   * @param listener what wanted the port, as a user knows it: "admin API" or "xDS"
   */
  public PortInUseException(String listener, InetSocketAddress address, Throwable cause) {
    super(listener + " port " + address.getHostString() + ":" + address.getPort() + " is in use");
    this.listener = listener;
    this.address = address;
    initCause(cause);
  }

  public String listener() {
    return listener;
  }

  public InetSocketAddress address() {
    return address;
  }
}
