package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.stats.ProxyStats;
import java.util.Objects;

/**
 * How a listener forwards.
 *
 * @param listener whose counters the exchanges update
 * @param viaName this hop's pseudonym in {@code Via}, such as {@code firemesh}; the protocol
 *     version the response arrived in goes before it
 * @param resendBufferBytes request bodies up to this size are kept until the response starts, so
 *     the request can be resent after a keep-alive race; larger ones are not resendable
 * @param resendPolicy which requests may be resent
 * @param drain the sidecar's shutdown phase: once announced, HTTP/1.1 responses close their
 *     connection
 */
public record ForwardSettings(
    ProxyStats.Listener listener,
    String viaName,
    int resendBufferBytes,
    ResendPolicy resendPolicy,
    Drain drain) {

  /** Settings for a listener that is never drained. */
  public ForwardSettings(
      ProxyStats.Listener listener,
      String viaName,
      int resendBufferBytes,
      ResendPolicy resendPolicy) {
    this(listener, viaName, resendBufferBytes, resendPolicy, new Drain());
  }

  public ForwardSettings {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(viaName, "viaName");
    Objects.requireNonNull(resendPolicy, "resendPolicy");
    Objects.requireNonNull(drain, "drain");
    if (resendBufferBytes < 0) {
      throw new IllegalArgumentException("resendBufferBytes must not be negative");
    }
  }
}
