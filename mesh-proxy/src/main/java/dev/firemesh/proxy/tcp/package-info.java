/**
 * Plain TCP across the mesh, for service ports declared {@code tcp} (databases, FIX engines, any
 * protocol where the server may speak first). The caller's sidecar listens on a local port per
 * {@link dev.firemesh.proxy.tcp.TcpUpstream}; each accepted connection is routed by the {@link
 * dev.firemesh.traffic.route.Router}, and a tunnel is opened at once to the chosen peer sidecar's
 * inbound listener with an HTTP/1.1 {@code CONNECT <service>:<port-name>}. The peer checks the port
 * against the service's declared ports, connects to its local app's port for that name, answers
 * {@code 200}, and from then on both sidecars splice raw bytes with back-pressure and half-close.
 * Nothing here waits for the application to send first.
 */
package dev.firemesh.proxy.tcp;
