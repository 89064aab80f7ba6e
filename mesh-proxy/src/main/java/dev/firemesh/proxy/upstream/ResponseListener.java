package dev.firemesh.proxy.upstream;

import io.netty.handler.codec.http.HttpObject;
import java.util.Optional;

/**
 * The one party bound to an upstream connection while a request is on it. Called on the
 * connection's event loop.
 */
public interface ResponseListener {

  /** A piece of the response; the listener owns it (releases or passes it on). */
  void onResponse(HttpObject message);

  /** The end of one read batch: a good moment to flush what was passed on. */
  void onUpstreamReadComplete();

  void onUpstreamWritabilityChanged(boolean writable);

  /** The connection closed while bound; {@code cause} is the error that closed it, if any. */
  void onUpstreamClosed(Optional<Throwable> cause);
}
