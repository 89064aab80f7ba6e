/**
 * Routing a request: from a logical service name and the request's method, path and headers to a
 * route, a cluster and one endpoint, under the current {@link
 * dev.firemesh.traffic.config.DataPlaneConfig}.
 */
package dev.firemesh.traffic.route;
