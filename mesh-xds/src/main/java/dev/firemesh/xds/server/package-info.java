/**
 * The xDS server: Envoy v3 Aggregated Discovery Service over gRPC, state-of-the-world and delta,
 * serving each node the snapshot {@code dev.firemesh.xds.translate} computes, and recording what
 * each node was sent, acknowledged and rejected.
 *
 * <p>Built on java-control-plane's {@code V3DiscoveryServer} and {@code SimpleCache}, keyed by node
 * id. This package owns node lifecycle (first request, disconnect, forgetting a node after a while)
 * and must not know how the mesh model becomes xDS.
 *
 * <p>Three small adjustments around the library, each in its own class: {@link
 * dev.firemesh.xds.server.StickyNode} (a node named once per stream), {@link
 * dev.firemesh.xds.server.NackedVersionHold} (no re-send loop after a NACK) and {@link
 * dev.firemesh.xds.server.FullStateAnswers} (one unknown listener does not hold back the others).
 * With {@link dev.firemesh.xds.server.NodeAuthentication}, a fourth: {@link
 * dev.firemesh.xds.server.AuthenticatedNodes} serves a node only if its TLS client certificate
 * proves a workload identity, and only for that identity's service. What makes a certificate an
 * identity (the trust bundle, the SPIFFE shape) is the caller's to say; this package does not know.
 *
 * <p>Beside ADS, on the same server and behind the same interceptors, {@link
 * dev.firemesh.xds.server.RuntimeDiscovery} serves each chassis instance its service's config
 * document over Envoy's RTDS (one resource, {@code firemesh.config}).
 */
package dev.firemesh.xds.server;
