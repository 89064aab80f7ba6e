package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.subscription.SubscriptionRunner.Counters;
import dev.firemesh.chassis.events.subscription.SubscriptionRunner.Gauges;
import dev.firemesh.store.ChangeFeed;
import dev.firemesh.store.Database;
import dev.firemesh.store.StoreEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a service instance's subscriptions on its event store. Instances of the service running the
 * same subscriptions share each one's partitions (fair shares, leases fenced by token); each event
 * reaches one instance at a time, in order per stream, and the checkpoints are durable, so a
 * restarted or replacing instance resumes where the last one stopped. Woken by the sequencer's
 * {@code es_sequenced} notifications, and polls every 250 ms in case one is lost; partitions an
 * instance releases (on close, or to share) are claimed by the others at once.
 *
 * <p>Metrics, per subscription: {@code firemesh_chassis_subscription_position} (the position every
 * partition has passed), {@code firemesh_chassis_subscription_lag_events} (the store's head minus
 * it), {@code firemesh_chassis_subscription_dead_letters}, and {@code
 * firemesh_chassis_subscription_events_total} by {@code outcome}: {@code handled}, {@code failed}
 * (one failed attempt) and {@code parked}.
 */
public final class Subscriptions implements AutoCloseable {
  private final Database database;
  private final Map<String, SubscriptionRunner> runners;
  private final MeterRegistry registry;
  private final List<Meter> meters;
  private final ChangeFeed feed;

  private Subscriptions(
      Database database,
      Map<String, SubscriptionRunner> runners,
      MeterRegistry registry,
      List<Meter> meters) {
    this.database = database;
    this.runners = runners;
    this.registry = registry;
    this.meters = meters;
    this.feed =
        ChangeFeed.on(
            database,
            Set.of(EventStore.SEQUENCED_CHANNEL, PartitionLeases.RELEASED_CHANNEL),
            event -> {
              if (event instanceof StoreEvent.Notified n
                  && n.channel().equals(PartitionLeases.RELEASED_CHANNEL)) {
                Optional.ofNullable(runners.get(n.payload()))
                    .ifPresent(SubscriptionRunner::tickNow);
              } else {
                runners.values().forEach(SubscriptionRunner::wake);
              }
            });
  }

  /**
   * Starts running {@code subscriptions} in this instance: creates their partitions on first run,
   * then claims this instance's share of them.
   *
   * @param instanceId unique among the service's instances, stable while it runs
   * @throws IllegalArgumentException if two subscriptions have one name, or one asks for an event
   *     type (class or name) {@code types} does not register
   * @throws IllegalStateException if the store has a subscription with another partition count
   * @throws dev.firemesh.store.StoreException if the store cannot be reached
   */
  public static Subscriptions start(
      Database database,
      EventTypes types,
      String instanceId,
      MeterRegistry registry,
      List<Subscription> subscriptions) {
    if (instanceId.isBlank()) {
      throw new IllegalArgumentException("instance id is blank");
    }
    Map<String, Set<String>> eventTypes = new LinkedHashMap<>();
    for (Subscription subscription : subscriptions) {
      if (eventTypes.put(subscription.name(), eventTypes(subscription, types)) != null) {
        throw new IllegalArgumentException(
            "two subscriptions are named " + subscription.name() + "; names must be unique");
      }
    }
    Map<String, SubscriptionRunner> runners = new LinkedHashMap<>();
    List<Meter> meters = new ArrayList<>();
    try {
      for (Subscription subscription : subscriptions) {
        runners.put(
            subscription.name(),
            new SubscriptionRunner(
                database,
                subscription,
                types,
                eventTypes.get(subscription.name()),
                instanceId,
                counters(subscription.name(), registry, meters),
                gauges(subscription.name(), registry, meters)));
      }
      database.transaction(
          "prepare the subscriptions' partitions",
          c -> {
            for (SubscriptionRunner runner : runners.values()) {
              PartitionLeases.prepare(c, runner.subscription());
            }
            return null;
          });
      Subscriptions started = new Subscriptions(database, runners, registry, meters);
      runners.values().forEach(SubscriptionRunner::start);
      return started;
    } catch (RuntimeException e) {
      meters.forEach(registry::remove);
      throw e;
    }
  }

  /** The names of the event types {@code subscription} asks for; empty for all. */
  private static Set<String> eventTypes(Subscription subscription, EventTypes types) {
    for (String type : subscription.eventTypeNames()) {
      if (!types.knows(type)) {
        throw new IllegalArgumentException(
            "subscription "
                + subscription.name()
                + " asks for event type "
                + type
                + ", which the service's event types do not register: "
                + types);
      }
    }
    Set<String> names = new LinkedHashSet<>(subscription.eventTypeNames());
    subscription.eventClasses().forEach(c -> names.add(types.name(c)));
    return Set.copyOf(names);
  }

  private static Counters counters(String name, MeterRegistry registry, List<Meter> meters) {
    return new Counters(
        outcome(name, "handled", registry, meters),
        outcome(name, "failed", registry, meters),
        outcome(name, "parked", registry, meters));
  }

  private static Counter outcome(
      String name, String outcome, MeterRegistry registry, List<Meter> meters) {
    Counter counter =
        Counter.builder("firemesh.chassis.subscription.events")
            .description(
                "Events by outcome: handled, failed (one failed attempt) or parked (a dead"
                    + " letter after the last attempt).")
            .tag("subscription", name)
            .tag("outcome", outcome)
            .register(registry);
    meters.add(counter);
    return counter;
  }

  private static Gauges gauges(String name, MeterRegistry registry, List<Meter> meters) {
    Gauges gauges = new Gauges(new AtomicLong(), new AtomicLong(), new AtomicLong());
    meters.add(
        Gauge.builder("firemesh.chassis.subscription.position", gauges.position(), AtomicLong::get)
            .description("The global position every partition of the subscription has passed.")
            .tag("subscription", name)
            .register(registry));
    meters.add(
        Gauge.builder("firemesh.chassis.subscription.lag", gauges.lag(), AtomicLong::get)
            .description("Events in the store past the subscription's position.")
            .baseUnit("events")
            .tag("subscription", name)
            .register(registry));
    meters.add(
        Gauge.builder(
                "firemesh.chassis.subscription.dead.letters", gauges.deadLetters(), AtomicLong::get)
            .description("Events parked after the handler's last attempt failed.")
            .tag("subscription", name)
            .register(registry));
    return gauges;
  }

  /** The subscriptions run, in declaration order. */
  public List<Subscription> subscriptions() {
    return runners.values().stream().map(SubscriptionRunner::subscription).toList();
  }

  /**
   * Rebuilds projection {@code name} from the start, in one transaction: every partition's token
   * moves on (fencing out whoever holds it, in any instance) and its position goes to 0, the
   * projection's {@link Projection#reset} runs and its dead letters are cleared. The instances then
   * claim the partitions again and replay every event.
   *
   * @throws IllegalArgumentException if no projection here has that name
   */
  public void rebuild(String name) {
    runner(name).rebuild();
  }

  /** The dead letters of subscription {@code name}, oldest position first. */
  public List<DeadLetter> deadLetters(String name) {
    return SubscriptionStore.deadLetters(database, runner(name).subscription().name());
  }

  /**
   * Runs the handler on a dead letter's event now, out of its stream's order: a projection in one
   * transaction with removing the dead letter. The dead letter stays, its attempts counted, if the
   * handler fails again.
   */
  public RetryOutcome retry(String name, UUID eventId) {
    return runner(name).retry(eventId);
  }

  /** Forgets a dead letter without handling it; false if there was none. */
  public boolean drop(String name, UUID eventId) {
    return SubscriptionStore.drop(database, runner(name).subscription().name(), eventId);
  }

  /** The subscriptions run here, as the store has them (all instances' view). */
  public List<SubscriptionStatus> status() {
    return database.transaction(
        "read the subscriptions' status",
        c ->
            SubscriptionStore.status(c, Optional.empty()).stream()
                .filter(s -> runners.containsKey(s.name()))
                .toList());
  }

  private SubscriptionRunner runner(String name) {
    SubscriptionRunner runner = runners.get(name);
    if (runner == null) {
      throw new IllegalArgumentException(
          "no subscription " + name + " here; there are " + runners.keySet());
    }
    return runner;
  }

  /** Stops handling and releases every partition, so other instances take over at once. */
  @Override
  public void close() {
    feed.close();
    RuntimeException failure = null;
    for (SubscriptionRunner runner : runners.values()) {
      try {
        runner.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    meters.forEach(registry::remove);
    if (failure != null) {
      throw failure;
    }
  }
}
