package dev.firemesh.proxy.upstream;

/** The outcome of {@link UpstreamPool#connect}, delivered on the pool's event loop. */
public interface ConnectCallback {
  void connected(UpstreamConnection connection);

  void connectFailed(Throwable cause);
}
