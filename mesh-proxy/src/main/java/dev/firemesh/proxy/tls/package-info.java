/**
 * Mutual TLS between sidecars: the credentials and TLS contexts ({@link
 * dev.firemesh.proxy.tls.MeshTls}, swapped whole on renewal), the inbound listener's mode choice
 * and peer identity ({@link dev.firemesh.proxy.tls.InboundTls}, {@link
 * dev.firemesh.proxy.tls.PeerIdentity}), and the caller's side, which checks that an endpoint
 * proves the identity EDS gave it ({@link dev.firemesh.proxy.tls.UpstreamTls}). Certificates are
 * judged by mesh-identity's {@code SvidVerifier} only. This package knows nothing of routing or
 * HTTP beyond the caller header; the app-to-sidecar hops never use it.
 */
package dev.firemesh.proxy.tls;
