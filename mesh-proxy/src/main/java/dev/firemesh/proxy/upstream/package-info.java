/**
 * Connections from the sidecar to the next hop (a peer sidecar or the local application): one
 * {@link dev.firemesh.proxy.upstream.UpstreamPool} per event loop, owned by that loop's thread and
 * never locked. HTTP/1.1: idle keep-alive connections per address, kept for reuse. HTTP/2 (h2c with
 * prior knowledge): multiplexed connections per address, a new stream for each request.
 *
 * <p>Either way a request travels on an {@link dev.firemesh.proxy.upstream.UpstreamConnection}
 * whose channel speaks HTTP objects (for HTTP/2, a stream channel with a frame-to-object codec), so
 * the forwarding engine does not care which protocol carries it.
 *
 * <p>Knows nothing of routing, listeners or what a request means; it connects, pools, and tells the
 * one {@link dev.firemesh.proxy.upstream.ResponseListener} bound to a connection what arrives.
 */
package dev.firemesh.proxy.upstream;
