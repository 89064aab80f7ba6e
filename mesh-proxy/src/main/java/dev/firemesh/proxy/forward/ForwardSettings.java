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
 */
public record ForwardSettings(
    ProxyStats.Listener listener,
    String viaName,
    int resendBufferBytes,
    ResendPolicy resendPolicy) {

  public ForwardSettings {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(viaName, "viaName");
    Objects.requireNonNull(resendPolicy, "resendPolicy");
    if (resendBufferBytes < 0) {
      throw new IllegalArgumentException("resendBufferBytes must not be negative");
    }
  }
}
