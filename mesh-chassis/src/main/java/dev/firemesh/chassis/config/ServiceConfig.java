package dev.firemesh.chassis.config;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's live configuration: the value in force, always whole. One {@link AtomicReference}
 * holds the revision, the bound record and the sources together, so a reader never sees half of one
 * revision and half of the next, and never waits. A change swaps it, then tells the listeners, once
 * per change, in order, on one dispatcher thread; a listener that throws is logged and the others
 * are still told.
 *
 * <pre>{@code
 * ServiceConfig<OrdersConfig> config = feed.config();
 * if (quantity > config.get().maxOrderQuantity()) { ... }
 * config.onChange((old, now, revision) -> log.info("limit {} -> {}", old.maxOrderQuantity(),
 *     now.maxOrderQuantity()));
 * }</pre>
 *
 * <p>Read {@link #current()} once when several fields must agree: two calls to {@link #get()} may
 * straddle a change.
 */
public final class ServiceConfig<T extends Record> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceConfig.class);

  /** What {@link #source} answers for a value no {@code Config} set: the default in code. */
  public static final String DEFAULT_SOURCE = "default";

  private final ConfigBinder<T> binder;
  private final Clock clock;
  private final AtomicReference<ConfigRevision<T>> current;
  private final CopyOnWriteArrayList<ConfigListener<T>> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService dispatcher;
  private final AtomicLong applied = new AtomicLong();

  ServiceConfig(ConfigBinder<T> binder, ConfigRevision<T> first, Clock clock) {
    this.binder = Objects.requireNonNull(binder, "binder");
    this.clock = clock;
    this.current = new AtomicReference<>(first);
    this.applied.set(1);
    this.dispatcher =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform()
                .daemon()
                .name("firemesh-config-" + binder.type().getSimpleName())
                .factory());
  }

  /**
   * The configuration from the defaults in code alone, for a service that runs without a control
   * plane (a test, a tool). It never changes.
   *
   * @throws ConfigUnavailableException when a field has no default
   */
  public static <T extends Record> ServiceConfig<T> ofDefaults(ConfigBinder<T> binder) {
    try {
      T value = binder.defaults();
      Clock clock = Clock.systemUTC();
      return new ServiceConfig<>(
          binder,
          new ConfigRevision<>(0, value, Map.of(), ConfigOrigin.DEFAULTS, "", clock.instant()),
          clock);
    } catch (ConfigBindingException e) {
      throw new ConfigUnavailableException(
          "the defaults of "
              + binder.type().getSimpleName()
              + " are not a whole configuration without a control plane:\n"
              + e.getMessage(),
          e);
    }
  }

  /** The value in force. */
  public T get() {
    return current.get().value();
  }

  /** The revision of the value in force. */
  public long revision() {
    return current.get().revision();
  }

  /** The value in force with its revision, sources and origin, all of one revision. */
  public ConfigRevision<T> current() {
    return current.get();
  }

  public ConfigOrigin origin() {
    return current.get().origin();
  }

  /**
   * The {@code Config} that set the field at {@code path} ({@code killSwitch.enabled}; a list is
   * one field), or {@link #DEFAULT_SOURCE}.
   *
   * @throws IllegalArgumentException when {@code path} names no field of the record's values (or
   *     names an object, whose fields may each come from elsewhere)
   */
  public String source(String path) {
    String source = current.get().sources().get(path);
    if (source != null) {
      return source;
    }
    if (!binder.isLeaf(path)) {
      throw new IllegalArgumentException(
          path + " is not a field of " + binder.type().getSimpleName() + "'s values");
    }
    return DEFAULT_SOURCE;
  }

  /** Calls {@code listener} after each later change, until the subscription is closed. */
  public Subscription onChange(ConfigListener<T> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** How many revisions have been put in force, the first included. */
  public long appliedCount() {
    return applied.get();
  }

  /** When the value in force was put in force. */
  public Instant lastUpdate() {
    return current.get().appliedAt();
  }

  /** Stops the dispatcher once the notifications already due are delivered. */
  @Override
  public void close() {
    dispatcher.shutdown();
  }

  /**
   * Puts a new revision in force; called by one writer (the feed's thread). Listeners are told only
   * when the value changes: a new revision that binds to an equal record (another service's apply,
   * a change of sources) is recorded silently.
   *
   * @return whether the value changed
   */
  boolean apply(
      long revision, T value, Map<String, String> sources, ConfigOrigin origin, String digest) {
    ConfigRevision<T> next =
        new ConfigRevision<>(revision, value, sources, origin, digest, clock.instant());
    ConfigRevision<T> previous = current.getAndSet(next);
    applied.incrementAndGet();
    if (previous.value().equals(value)) {
      return false;
    }
    try {
      dispatcher.execute(() -> notifyListeners(previous.value(), value, revision));
    } catch (RejectedExecutionException e) {
      LOG.debug("config listeners not told of revision={}: closed", revision);
    }
    return true;
  }

  private void notifyListeners(T previous, T value, long revision) {
    for (ConfigListener<T> listener : listeners) {
      try {
        listener.onChange(previous, value, revision);
      } catch (RuntimeException e) {
        LOG.error("config listener failed revision={} listener={}", revision, listener, e);
      }
    }
  }
}
