package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.Drain;
import dev.firemesh.proxy.forward.ResendPolicy;
import dev.firemesh.proxy.http.FlowControlWindows;
import dev.firemesh.proxy.http.HttpLimits;
import dev.firemesh.proxy.telemetry.ExchangeObserver;
import dev.firemesh.proxy.telemetry.Tracing;
import java.time.Duration;
import java.util.Objects;

/**
 * What the outbound and inbound listeners share.
 *
 * @param limits bounds on request heads
 * @param viaName this hop's pseudonym in {@code Via}, such as {@code firemesh}
 * @param resendBufferBytes see {@link dev.firemesh.proxy.forward.ForwardSettings}
 * @param resendPolicy which requests a keep-alive race may resend
 * @param callerIdleTimeout a caller connection with no request in flight for this long is closed
 * @param upstreamDefaults connection rules where the configuration gives none
 * @param windows the HTTP/2 receive windows granted to callers
 * @param drain the sidecar's shutdown phase
 * @param observer told of every request when it ends ({@link ExchangeObserver#NONE}: nobody)
 * @param tracing starts each request's hop of its trace ({@link Tracing#OFF}: none); its spans go
 *     through {@code observer}
 */
public record ListenerSettings(
    HttpLimits limits,
    String viaName,
    int resendBufferBytes,
    ResendPolicy resendPolicy,
    Duration callerIdleTimeout,
    UpstreamDefaults upstreamDefaults,
    FlowControlWindows windows,
    Drain drain,
    ExchangeObserver observer,
    Tracing tracing) {

  /** Settings whose requests nobody observes. */
  public ListenerSettings(
      HttpLimits limits,
      String viaName,
      int resendBufferBytes,
      ResendPolicy resendPolicy,
      Duration callerIdleTimeout,
      UpstreamDefaults upstreamDefaults,
      FlowControlWindows windows,
      Drain drain) {
    this(
        limits,
        viaName,
        resendBufferBytes,
        resendPolicy,
        callerIdleTimeout,
        upstreamDefaults,
        windows,
        drain,
        ExchangeObserver.NONE,
        Tracing.OFF);
  }

  public ListenerSettings {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(viaName, "viaName");
    Objects.requireNonNull(resendPolicy, "resendPolicy");
    Objects.requireNonNull(callerIdleTimeout, "callerIdleTimeout");
    Objects.requireNonNull(upstreamDefaults, "upstreamDefaults");
    Objects.requireNonNull(windows, "windows");
    Objects.requireNonNull(drain, "drain");
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(tracing, "tracing");
  }
}
