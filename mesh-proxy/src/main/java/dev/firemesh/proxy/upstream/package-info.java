/**
 * Connections from the sidecar to the next hop (a peer sidecar or the local application): one
 * {@link dev.firemesh.proxy.upstream.UpstreamPool} per event loop, owned by that loop's thread and
 * never locked, keeping idle keep-alive HTTP/1.1 connections per address for reuse.
 *
 * <p>Knows nothing of routing, listeners or what a request means; it connects, pools, and tells the
 * one {@link dev.firemesh.proxy.upstream.ResponseListener} bound to a connection what arrives.
 */
package dev.firemesh.proxy.upstream;
