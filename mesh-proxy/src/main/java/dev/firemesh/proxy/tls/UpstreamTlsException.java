package dev.firemesh.proxy.tls;

import java.net.ConnectException;

/**
 * A connection to a peer sidecar that did not become a verified mTLS connection: a connect failure,
 * since no request reached an application, so the request may go to another endpoint exactly as
 * after a refused connect.
 */
public final class UpstreamTlsException extends ConnectException {
  private final HandshakeFailure failure;

  public UpstreamTlsException(HandshakeFailure failure, String message, Throwable cause) {
    super(message);
    this.failure = failure;
    if (cause != null) {
      initCause(cause);
    }
  }

  public HandshakeFailure failure() {
    return failure;
  }
}
