/**
 * The sidecar proxy. {@link dev.firemesh.proxy.Sidecar} assembles it: one Netty event loop group
 * (native epoll when available), the outbound listener the local application uses as its HTTP
 * proxy, the inbound listener peer sidecars connect to, and the admin listener.
 *
 * <p>Packages by capability: {@code http} (HTTP hygiene on the caller's side), {@code listener}
 * (pipelines, protocol choice and target decisions), {@code forward} (the exchange engine both
 * listeners and both protocols share), {@code upstream} (HTTP/1.1 pools, HTTP/2 multiplexing),
 * {@code admin}, {@code stats}, {@code telemetry} (one record per request: golden metrics, access
 * log). The proxy learns its configuration only through {@link dev.firemesh.proxy.Sidecar#apply};
 * it does not know where the configuration comes from (xDS lives in {@code mesh-xds}).
 */
package dev.firemesh.proxy;
