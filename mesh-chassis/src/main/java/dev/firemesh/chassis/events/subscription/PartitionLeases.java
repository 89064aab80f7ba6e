package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.store.Membership;
import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance's hold on a subscription's partitions: heartbeats its membership, renews the leases
 * it holds, releases those above its fair share and claims free or expired ones up to it. Only the
 * lease thread calls {@link #tick}; workers read {@link #owned} and report {@link #fenced} claims.
 */
final class PartitionLeases {
  private static final Logger log = LoggerFactory.getLogger(PartitionLeases.class);

  /** Notified with the subscription's name when partitions are released or fenced. */
  static final String RELEASED_CHANNEL = "es_subscription_released";

  /** A partition held under a fencing token. */
  record Claim(int partition, long token) {}

  private final Database database;
  private final String subscription;
  private final int partitions;
  private final String instance;
  private final long leaseMillis;
  private final Membership membership;
  private final Set<Claim> fenced = ConcurrentHashMap.newKeySet();
  private volatile Map<Integer, Long> owned = Map.of();

  PartitionLeases(Database database, Subscription subscription, String instance) {
    this.database = database;
    this.subscription = subscription.name();
    this.partitions = subscription.partitions();
    this.instance = instance;
    this.leaseMillis = subscription.lease().toMillis();
    this.membership =
        new Membership("subscription:" + subscription.name(), instance, subscription.lease());
  }

  /** Creates the partition rows on first run; refuses a store with another partition count. */
  static void prepare(Connection c, Subscription subscription) throws SQLException {
    long stored;
    try (PreparedStatement s =
        c.prepareStatement(
            "select count(*) from es_subscription_partitions where subscription = ?")) {
      s.setString(1, subscription.name());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        stored = rs.getLong(1);
      }
    }
    if (stored != 0 && stored != subscription.partitions()) {
      throw new IllegalStateException(
          "subscription "
              + subscription.name()
              + " declares "
              + subscription.partitions()
              + " partitions but the store has "
              + stored
              + ": a stream's events would move between partitions; keep "
              + stored
              + " or give the subscription a new name");
    }
    // Instances starting together both insert; the first one's rows stand.
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into es_subscription_partitions (subscription, partition)"
                + " select ?, p from generate_series(0, ? - 1) p on conflict do nothing")) {
      s.setString(1, subscription.name());
      s.setInt(2, subscription.partitions());
      s.executeUpdate();
    }
  }

  /** The partitions held, by number, with their tokens. */
  Map<Integer, Long> owned() {
    return owned;
  }

  /** A worker found {@code claim}'s token stale: the partition is someone else's now. */
  void fenced(Claim claim) {
    fenced.add(claim);
  }

  boolean isFenced(Claim claim) {
    return fenced.contains(claim);
  }

  /**
   * Heartbeats, renews, then releases or claims to the fair share.
   *
   * @return whether partitions were claimed (the worker has new work)
   */
  boolean tick() {
    Map<Integer, Long> held = new TreeMap<>(owned);
    held.entrySet().removeIf(e -> fenced.contains(new Claim(e.getKey(), e.getValue())));
    fenced.clear();
    record Outcome(Map<Integer, Long> held, boolean claimed) {}
    Outcome outcome =
        database.transaction(
            "renew the partitions of subscription " + subscription,
            c -> {
              int share = (int) Math.ceilDiv(partitions, membership.heartbeat(c));
              TreeMap<Integer, Long> renewed = renew(c, held);
              held.keySet().stream()
                  .filter(p -> !renewed.containsKey(p))
                  .forEach(
                      p ->
                          log.info("subscription {} partition {} was taken over", subscription, p));
              while (renewed.size() > share) {
                int last = renewed.lastKey();
                long token = renewed.remove(last);
                // Out of the published map first, so the worker takes no further batch of it.
                owned = Map.copyOf(renewed);
                release(c, Map.of(last, token));
                log.info(
                    "subscription {} partition {} released to share the work ({} each)",
                    subscription,
                    last,
                    share);
              }
              Map<Integer, Long> claimed =
                  renewed.size() < share ? claim(c, share - renewed.size()) : Map.of();
              renewed.putAll(claimed);
              return new Outcome(renewed, !claimed.isEmpty());
            });
    owned = Map.copyOf(outcome.held());
    return outcome.claimed();
  }

  /** Gives up every partition held and the membership, so others take over at once. */
  void releaseAll() {
    Map<Integer, Long> held = owned;
    owned = Map.of();
    database.transaction(
        "release the partitions of subscription " + subscription,
        c -> {
          release(c, held);
          membership.leave(c);
          return null;
        });
  }

  private TreeMap<Integer, Long> renew(Connection c, Map<Integer, Long> held) throws SQLException {
    TreeMap<Integer, Long> renewed = new TreeMap<>();
    if (held.isEmpty()) {
      return renewed;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "update es_subscription_partitions"
                + " set lease_until = clock_timestamp() + ? * interval '1 millisecond',"
                + " updated_at = clock_timestamp()"
                + " where subscription = ? and owner = ? and (partition, token) in"
                + " (select * from unnest(?::int[], ?::bigint[])) returning partition, token")) {
      s.setLong(1, leaseMillis);
      s.setString(2, subscription);
      s.setString(3, instance);
      s.setArray(4, c.createArrayOf("int4", held.keySet().toArray()));
      s.setArray(5, c.createArrayOf("int8", held.values().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          renewed.put(rs.getInt(1), rs.getLong(2));
        }
      }
    }
    return renewed;
  }

  private Map<Integer, Long> claim(Connection c, int wanted) throws SQLException {
    Map<Integer, Long> claimed = new HashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "update es_subscription_partitions set owner = ?, token = token + 1,"
                + " lease_until = clock_timestamp() + ? * interval '1 millisecond',"
                + " updated_at = clock_timestamp()"
                + " where subscription = ? and partition in"
                + " (select partition from es_subscription_partitions where subscription = ?"
                + " and (owner is null or lease_until < clock_timestamp())"
                + " order by partition limit ? for update skip locked)"
                + " returning partition, token, position")) {
      s.setString(1, instance);
      s.setLong(2, leaseMillis);
      s.setString(3, subscription);
      s.setString(4, subscription);
      s.setInt(5, wanted);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          claimed.put(rs.getInt(1), rs.getLong(2));
          log.info(
              "subscription {} partition {} claimed by {} with token {} at position {}",
              subscription,
              rs.getInt(1),
              instance,
              rs.getLong(2),
              rs.getLong(3));
        }
      }
    }
    return claimed;
  }

  private void release(Connection c, Map<Integer, Long> held) throws SQLException {
    if (held.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "update es_subscription_partitions set owner = null, lease_until = null,"
                + " updated_at = clock_timestamp()"
                + " where subscription = ? and owner = ? and (partition, token) in"
                + " (select * from unnest(?::int[], ?::bigint[]))")) {
      s.setString(1, subscription);
      s.setString(2, instance);
      List<Integer> numbers = List.copyOf(held.keySet());
      s.setArray(3, c.createArrayOf("int4", numbers.toArray()));
      s.setArray(4, c.createArrayOf("int8", numbers.stream().map(held::get).toArray()));
      s.executeUpdate();
    }
    notifyReleased(c, subscription);
  }

  /** Tells every instance running {@code subscription} that partitions are free, on commit. */
  static void notifyReleased(Connection c, String subscription) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_notify(?, ?)")) {
      s.setString(1, RELEASED_CHANNEL);
      s.setString(2, subscription);
      s.execute();
    }
  }

  /** The lease thread's period: a third of the lease. */
  Duration period() {
    return Duration.ofMillis(leaseMillis / 3);
  }
}
