/**
 * The sidecar's side of authorization, shared by the inbound listener's HTTP handler ({@code
 * listener.InboundAuthorization}) and its tunnels ({@code tcp.TunnelAcceptor}): who the peer of a
 * connection is ({@link dev.firemesh.proxy.authz.PeerCaller}, from the verified identity the TLS
 * layer leaves on the channel) and the log of denials ({@link
 * dev.firemesh.proxy.authz.AuthorizationLog}), bounded so that an attack cannot flood it. The
 * decisions themselves are made by {@code dev.firemesh.traffic.authz}; nothing here decides.
 */
package dev.firemesh.proxy.authz;
