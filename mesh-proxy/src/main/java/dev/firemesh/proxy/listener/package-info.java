/**
 * The sidecar's listeners: how each is assembled from the shared handlers, and the one handler in
 * which they differ, deciding a request's target. The outbound listener (the local application's
 * HTTP proxy) names the service from the absolute URI or Host and asks the {@link
 * dev.firemesh.traffic.route.Router}; the inbound listener (where peer sidecars connect) sends
 * everything to the local application.
 */
package dev.firemesh.proxy.listener;
