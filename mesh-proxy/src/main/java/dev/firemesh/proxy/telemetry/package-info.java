/**
 * What a sidecar tells about its traffic, one {@link dev.firemesh.proxy.telemetry.ExchangeRecord}
 * per request: made once when the request ends, on the listener's event loop, and handed to the
 * {@link dev.firemesh.proxy.telemetry.ExchangeObserver}s. Two observers live here: {@link
 * dev.firemesh.proxy.telemetry.GoldenMetrics} (per-edge request counters, latency histograms and
 * byte counters in a Micrometer Prometheus registry, appended to {@code /stats/prometheus}) and
 * {@link dev.firemesh.proxy.telemetry.AccessLog} (one line per request, formatted on the loop,
 * written by a thread of its own behind a bounded queue that drops and counts rather than waits).
 *
 * <p>Nothing here knows about Netty pipelines, routing or where a record comes from; the forwarding
 * engine ({@code forward}) makes the records.
 */
package dev.firemesh.proxy.telemetry;
