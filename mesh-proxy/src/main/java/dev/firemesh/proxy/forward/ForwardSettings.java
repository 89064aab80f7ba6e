package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.stats.ProxyStats;
import java.util.Objects;

/**
 * How a listener forwards.
 *
 * @param listener whose counters the exchanges update
 * @param via this hop's {@code Via} member, such as {@code 1.1 firemesh}
 * @param resendBufferBytes request bodies up to this size are kept until the response starts, so
 *     the request can be resent after a keep-alive race; larger ones are not resendable
 * @param resendPolicy which requests may be resent
 */
public record ForwardSettings(
    ProxyStats.Listener listener, String via, int resendBufferBytes, ResendPolicy resendPolicy) {

  public ForwardSettings {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(resendPolicy, "resendPolicy");
    if (resendBufferBytes < 0) {
      throw new IllegalArgumentException("resendBufferBytes must not be negative");
    }
  }
}
