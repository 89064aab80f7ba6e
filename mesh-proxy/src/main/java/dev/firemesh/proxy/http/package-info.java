/**
 * HTTP/1.1 on the listeners' side: decoding with limits and smuggling checks, the messages that
 * flow down a listener pipeline ({@link dev.firemesh.proxy.http.RequestHead}, {@link
 * dev.firemesh.proxy.http.LocalReply}), and the header rules of a proxy hop (hop-by-hop headers,
 * {@code Via}, {@code x-forwarded-*}, {@code x-request-id}).
 *
 * <p>Nothing here knows about routing, upstream connections or the mesh configuration.
 */
package dev.firemesh.proxy.http;
