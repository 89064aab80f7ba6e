package dev.firemesh.proxy.forward;

import io.netty.handler.codec.http.HttpContent;

/** The request a caller connection is answering now: forwarded upstream or answered locally. */
sealed interface ActiveExchange permits ForwardedExchange, LocalExchange {

  void start();

  /** Whether the request's last body piece has arrived from the caller. */
  boolean requestComplete();

  /** A body piece of this request; the exchange owns it. */
  void onRequestContent(HttpContent content);

  void onDownstreamReadComplete();

  void onDownstreamWritabilityChanged(boolean writable);

  /** The caller's connection closed; the exchange releases what it holds. */
  void onDownstreamClosed();

  /** What the exchange noted about itself, for its record when it ends. */
  ExchangeNotes notes();
}
