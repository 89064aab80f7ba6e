/**
 * The forwarding engine both listeners share: per caller connection, an {@link
 * dev.firemesh.proxy.forward.ExchangeHandler} takes routed requests and local replies in order and
 * runs one exchange at a time, streaming request and response bodies between the caller and an
 * upstream connection with back-pressure both ways, and resending a request once when a reused
 * connection turns out to have been closed by the upstream (the keep-alive race).
 *
 * <p>It does not decide where a request goes ({@code listener} does) nor how connections are kept
 * ({@code upstream} does).
 */
package dev.firemesh.proxy.forward;
