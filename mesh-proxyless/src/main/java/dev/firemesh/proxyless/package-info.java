/**
 * What a stock grpc-java xDS client puts on its classpath to reach FireMesh's control plane, which
 * serves xDS only to workloads presenting an SVID: channel credentials that read the SVID from
 * files ({@code firemesh svid} writes and renews them). Knows nothing of xDS resources; the
 * client's own grpc-xds does the rest.
 */
package dev.firemesh.proxyless;
