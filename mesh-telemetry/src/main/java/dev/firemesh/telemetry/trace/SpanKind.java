package dev.firemesh.telemetry.trace;

/** OpenTelemetry's span kinds a sidecar produces. */
public enum SpanKind {
  /** The inbound hop: the sidecar received the request for its app. */
  SERVER,
  /** The outbound hop: the sidecar sent its app's request on to another service. */
  CLIENT
}
