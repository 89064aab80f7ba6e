package dev.firemesh.proxy.telemetry;

import java.util.List;

/**
 * Told of every request when it ends. Called on the event loop that served the request, so it must
 * not block: anything slow (file writes, export) goes to a thread of its own behind a bounded queue
 * that drops rather than waits. It must not throw either; the sidecar logs and ignores what it
 * throws, but the record is lost to it.
 */
@FunctionalInterface
public interface ExchangeObserver {

  /** Nobody listens: the sidecar then does no per-request telemetry work at all. */
  ExchangeObserver NONE = record -> {};

  void exchangeEnded(ExchangeRecord record);

  /** Each of {@code observers} in turn; {@link #NONE} if there are none. */
  static ExchangeObserver all(List<ExchangeObserver> observers) {
    List<ExchangeObserver> wanted = observers.stream().filter(o -> o != NONE).toList();
    return switch (wanted.size()) {
      case 0 -> NONE;
      case 1 -> wanted.getFirst();
      default -> {
        ExchangeObserver[] each = wanted.toArray(ExchangeObserver[]::new);
        yield record -> {
          for (ExchangeObserver observer : each) {
            try {
              observer.exchangeEnded(record);
            } catch (RuntimeException e) {
              // One observer's bug must not cost the others their record.
              FailedObservers.log(observer, e);
            }
          }
        };
      }
    };
  }
}
