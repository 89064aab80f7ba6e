package dev.firemesh.chassis.events.subscription;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A declared subscription: a name unique in the service, which events it wants, its handler, and
 * how its work is split and retried. Immutable; run by {@link Subscriptions}.
 *
 * <pre>{@code
 * Subscription exposure = Subscription.projection("risk-exposure", new ExposureProjection())
 *     .eventTypes(OrderAccepted.class, OrderFilled.class)
 *     .build();
 * Subscription fills = Subscription.processManager("venue-fills", venue::onOrderAccepted)
 *     .categories("order")
 *     .build();
 * }</pre>
 *
 * <p>An event is delivered if its type is one of {@link #eventTypes} and its stream's category one
 * of {@link #categories}, each only when given; with neither, every event is.
 */
public final class Subscription {
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,100}");

  /** Who handles the events: in the checkpoint's transaction, or outside it. */
  sealed interface Handler {}

  record ProjectionHandler(Projection projection) implements Handler {}

  record ProcessHandler(ProcessManager processManager) implements Handler {}

  private final String name;
  private final Handler handler;
  private final Set<Class<?>> eventClasses;
  private final Set<String> eventTypeNames;
  private final Set<String> categories;
  private final int partitions;
  private final int maxAttempts;
  private final Duration firstBackoff;
  private final Duration maxBackoff;
  private final int batchSize;
  private final Duration lease;

  private Subscription(Builder b) {
    this.name = b.name;
    this.handler = b.handler;
    this.eventClasses = Set.copyOf(b.eventClasses);
    this.eventTypeNames = Set.copyOf(b.eventTypeNames);
    this.categories = Set.copyOf(b.categories);
    this.partitions = b.partitions;
    this.maxAttempts = b.maxAttempts;
    this.firstBackoff = b.firstBackoff;
    this.maxBackoff = b.maxBackoff;
    this.batchSize = b.batchSize;
    this.lease = b.lease;
  }

  /**
   * A subscription keeping a read model in the store's database, effectively exactly once.
   *
   * @throws IllegalArgumentException if {@code name} is not 1 to 100 of {@code [a-z0-9-]}
   */
  public static Builder projection(String name, Projection projection) {
    return new Builder(name, new ProjectionHandler(Objects.requireNonNull(projection)));
  }

  /**
   * A subscription acting on events outside the store's transaction, at least once.
   *
   * @throws IllegalArgumentException if {@code name} is not 1 to 100 of {@code [a-z0-9-]}
   */
  public static Builder processManager(String name, ProcessManager processManager) {
    return new Builder(name, new ProcessHandler(Objects.requireNonNull(processManager)));
  }

  public String name() {
    return name;
  }

  /** Whether the handler is a {@link Projection} (else a {@link ProcessManager}). */
  public boolean isProjection() {
    return handler instanceof ProjectionHandler;
  }

  Handler handler() {
    return handler;
  }

  /** Event types asked for by record class; resolved to names by the service's event types. */
  public Set<Class<?>> eventClasses() {
    return eventClasses;
  }

  /** Event types asked for by name. */
  public Set<String> eventTypeNames() {
    return eventTypeNames;
  }

  /** Stream categories asked for; empty for all. */
  public Set<String> categories() {
    return categories;
  }

  public int partitions() {
    return partitions;
  }

  /** Handler attempts on one event before it is parked as a dead letter. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait before attempt {@code n + 1} after {@code n} failures: doubling, capped. */
  public Duration backoff(int failures) {
    Duration wait = firstBackoff;
    for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }

  /** Most events handled in one transaction. */
  public int batchSize() {
    return batchSize;
  }

  /** How long a partition stays with an instance that stops renewing it. */
  public Duration lease() {
    return lease;
  }

  @Override
  public String toString() {
    return "Subscription[" + name + (isProjection() ? ", projection" : ", process manager") + "]";
  }

  /** Declares a {@link Subscription}; defaults are those of the design. */
  public static final class Builder {
    private final String name;
    private final Handler handler;
    private final Set<Class<?>> eventClasses = new LinkedHashSet<>();
    private final Set<String> eventTypeNames = new LinkedHashSet<>();
    private final Set<String> categories = new LinkedHashSet<>();
    private int partitions = 8;
    private int maxAttempts = 5;
    private Duration firstBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private int batchSize = 100;
    private Duration lease = Duration.ofSeconds(6);

    private Builder(String name, Handler handler) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "subscription name '" + name + "' must be 1 to 100 of a-z, 0-9 and '-'");
      }
      this.name = name;
      this.handler = handler;
    }

    /** Delivers events of these record classes (registered in the service's event types). */
    public Builder eventTypes(Class<?>... types) {
      eventClasses.addAll(List.of(types));
      return this;
    }

    /** Delivers events of the types with these names. */
    public Builder eventTypes(String... names) {
      eventTypeNames.addAll(List.of(names));
      return this;
    }

    /** Delivers events of streams in these categories ({@code order} for {@code order-42}). */
    public Builder categories(String... names) {
      categories.addAll(List.of(names));
      return this;
    }

    /**
     * Splits the events into this many partitions by stream (default 8): the most instances that
     * can share the work. Fixed once the subscription has run.
     */
    public Builder partitions(int count) {
      if (count < 1 || count > 1024) {
        throw new IllegalArgumentException(
            "subscription " + name + ": partitions must be 1 to 1024, not " + count);
      }
      this.partitions = count;
      return this;
    }

    /** Handler attempts on one event before it is parked (default 5). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException(
            "subscription " + name + ": maxAttempts must be at least 1, not " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The wait after a first failure, doubled after each next one up to {@code max}. */
    public Builder backoff(Duration first, Duration max) {
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException(
            "subscription " + name + ": backoff needs 0 < first <= max, not " + first + ", " + max);
      }
      this.firstBackoff = first;
      this.maxBackoff = max;
      return this;
    }

    /** Most events handled in one transaction (default 100). */
    public Builder batchSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException(
            "subscription " + name + ": batchSize must be at least 1, not " + size);
      }
      this.batchSize = size;
      return this;
    }

    /**
     * How long a partition stays with an instance that stops renewing it (default 6 s; renewed
     * every third of it): the longest an instance's death holds up its partitions.
     */
    public Builder lease(Duration lease) {
      if (lease.compareTo(Duration.ofMillis(300)) < 0) {
        throw new IllegalArgumentException(
            "subscription " + name + ": lease must be at least 300 ms, not " + lease);
      }
      this.lease = lease;
      return this;
    }

    public Subscription build() {
      return new Subscription(this);
    }
  }
}
