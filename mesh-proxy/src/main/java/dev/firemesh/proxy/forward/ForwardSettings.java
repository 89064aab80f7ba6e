package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.telemetry.ExchangeObserver;
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
 * @param service this sidecar's service, for telemetry (the source of outbound requests, the
 *     destination of inbound ones); empty if it has none
 * @param observer told of every exchange when it ends; with {@link ExchangeObserver#NONE} the
 *     exchanges note nothing
 */
public record ForwardSettings(
    ProxyStats.Listener listener,
    String viaName,
    int resendBufferBytes,
    ResendPolicy resendPolicy,
    Drain drain,
    String service,
    ExchangeObserver observer) {

  /** Settings for a listener whose exchanges nobody observes. */
  public ForwardSettings(
      ProxyStats.Listener listener,
      String viaName,
      int resendBufferBytes,
      ResendPolicy resendPolicy,
      Drain drain) {
    this(listener, viaName, resendBufferBytes, resendPolicy, drain, "", ExchangeObserver.NONE);
  }

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
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(observer, "observer");
    if (resendBufferBytes < 0) {
      throw new IllegalArgumentException("resendBufferBytes must not be negative");
    }
  }
}
