package dev.firemesh.proxy.upstream;

/** How requests travel to an upstream. */
public enum UpstreamProtocol {
  /** One request at a time per connection; idle keep-alive connections are pooled. */
  HTTP1,
  /**
   * HTTP/2 with prior knowledge (h2c on a plain socket): each request is a stream on a shared
   * connection, one per upstream and event loop until the upstream's stream limit is reached.
   */
  HTTP2
}
