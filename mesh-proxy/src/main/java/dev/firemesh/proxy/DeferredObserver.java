package dev.firemesh.proxy;

import dev.firemesh.proxy.telemetry.AccessLog;
import dev.firemesh.proxy.telemetry.ExchangeObserver;
import dev.firemesh.proxy.telemetry.ExchangeRecord;

/**
 * The access log's place among the listeners' observers, filled when the sidecar starts (the file
 * is opened then, not when the sidecar is built): before, and once it is closed, records go
 * nowhere.
 */
final class DeferredObserver implements ExchangeObserver {
  private volatile AccessLog log;

  void set(AccessLog accessLog) {
    this.log = accessLog;
  }

  AccessLog current() {
    return log;
  }

  @Override
  public void exchangeEnded(ExchangeRecord record) {
    AccessLog current = log;
    if (current != null) {
      current.exchangeEnded(record);
    }
  }
}
