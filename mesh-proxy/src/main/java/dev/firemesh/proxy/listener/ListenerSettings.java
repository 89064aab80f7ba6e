package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.ResendPolicy;
import dev.firemesh.proxy.http.HttpLimits;
import java.time.Duration;
import java.util.Objects;

/**
 * What the outbound and inbound listeners share.
 *
 * @param limits bounds on request heads
 * @param via this hop's {@code Via} member, such as {@code 1.1 firemesh}
 * @param resendBufferBytes see {@link dev.firemesh.proxy.forward.ForwardSettings}
 * @param resendPolicy which requests a keep-alive race may resend
 * @param callerIdleTimeout a caller connection with no request in flight for this long is closed
 * @param upstreamDefaults connection rules where the configuration gives none
 */
public record ListenerSettings(
    HttpLimits limits,
    String via,
    int resendBufferBytes,
    ResendPolicy resendPolicy,
    Duration callerIdleTimeout,
    UpstreamDefaults upstreamDefaults) {

  public ListenerSettings {
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(via, "via");
    Objects.requireNonNull(resendPolicy, "resendPolicy");
    Objects.requireNonNull(callerIdleTimeout, "callerIdleTimeout");
    Objects.requireNonNull(upstreamDefaults, "upstreamDefaults");
  }
}
