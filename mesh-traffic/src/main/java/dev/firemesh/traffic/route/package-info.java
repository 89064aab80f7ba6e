/**
 * Routing a request: from a logical service name and the request's method, path and headers to a
 * route, a cluster and one endpoint, under the current {@link
 * dev.firemesh.traffic.config.DataPlaneConfig}. {@link dev.firemesh.traffic.route.SnapshotRouter}
 * is the router both the sidecar and the chassis's direct channel use; the choice of endpoint is
 * delegated to {@link dev.firemesh.traffic.balance}.
 */
package dev.firemesh.traffic.route;
