/**
 * The sidecar's listeners: how each is assembled from the shared handlers, and the one handler in
 * which they differ, deciding a request's target. Each accepted connection's first bytes choose
 * HTTP/2 (the h2c connection preface) or HTTP/1.1; an HTTP/2 stream then runs the same handlers as
 * an HTTP/1.1 request. The outbound listener (the local application's HTTP proxy) names the service
 * from the absolute URI, Host or {@code :authority} and asks the {@link
 * dev.firemesh.traffic.route.Router}; the inbound listener (where peer sidecars connect) sends
 * everything to the local application, in the protocol the caller used.
 */
package dev.firemesh.proxy.listener;
