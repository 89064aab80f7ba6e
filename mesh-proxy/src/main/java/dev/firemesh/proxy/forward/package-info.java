/**
 * The forwarding engine both listeners share: per HTTP/1.1 caller connection, or per HTTP/2 stream,
 * an {@link dev.firemesh.proxy.forward.ExchangeHandler} takes routed requests and local replies in
 * order and runs one exchange at a time, streaming request and response bodies between the caller
 * and an upstream connection or stream with back-pressure both ways, and resending a request once
 * when a reused connection turns out to have been closed by the upstream (the keep-alive race) or
 * an HTTP/2 upstream refused the stream unprocessed.
 *
 * <p>Both sides speak Netty's HTTP objects whatever the protocol (HTTP/2 streams convert frames to
 * them), so the engine differs between the protocols only in how an exchange is cut short: closing
 * the connection, or resetting the stream.
 *
 * <p>When an exchange ends, however it ends, the handler makes its {@link
 * dev.firemesh.proxy.telemetry.ExchangeRecord} from what the exchange noted ({@code ExchangeNotes}:
 * phases, bytes, status, why the sidecar stepped in) and hands it to the listener's observer.
 *
 * <p>It does not decide where a request goes ({@code listener} does) nor how connections are kept
 * ({@code upstream} does).
 */
package dev.firemesh.proxy.forward;
