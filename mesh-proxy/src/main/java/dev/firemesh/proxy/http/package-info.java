/**
 * HTTP on the listeners' side: HTTP/1.1 decoding with limits and smuggling checks, the adaptation
 * of HTTP/2 streams to the same messages ({@link dev.firemesh.proxy.http.StreamHeaders}), the
 * messages that flow down a listener pipeline ({@link dev.firemesh.proxy.http.RequestHead}, {@link
 * dev.firemesh.proxy.http.LocalReply}, answered as a gRPC status to gRPC callers), and the header
 * rules of a proxy hop (hop-by-hop headers, {@code Via}, {@code x-forwarded-*}, {@code
 * x-request-id}), and the HTTP/2 flow-control windows.
 *
 * <p>Nothing here knows about routing, upstream connections or the mesh configuration.
 */
package dev.firemesh.proxy.http;
