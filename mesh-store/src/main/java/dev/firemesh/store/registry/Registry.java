package dev.firemesh.store.registry;

import dev.firemesh.store.ChangeFeed;
import dev.firemesh.store.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Service instances and their leases, in PostgreSQL. A lease lapses at {@code expiresAt}; from then
 * on the instance is out of {@link #instances()} even before {@link #sweepExpired()} deletes it.
 * Every change notifies {@link ChangeFeed#INSTANCES_CHANNEL} with the service name.
 */
public final class Registry {

  private static final String COLUMNS =
      """
      service, instance_id, address, port,
      array(select key from jsonb_each_text(labels) order by key),
      array(select value from jsonb_each_text(labels) order by key),
      registered_at, expires_at""";

  // Only one replica sweeps at a time; the others find nothing to do rather than contend.
  private static final long SWEEP_LOCK = 0x6669_7265_6D65_7368L; // "firemesh"

  private final Database database;

  public Registry(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /** Registers an instance, or replaces its registration, with a lease of {@code ttl} from now. */
  public Instance register(Registration registration, Duration ttl) {
    Objects.requireNonNull(registration, "registration");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("lease ttl must be at least 1 ms, got " + ttl);
    }
    List<String> keys = new ArrayList<>(new TreeSet<>(registration.labels().keySet()));
    return database.transaction(
        "register " + registration.service() + "/" + registration.instanceId(),
        c -> {
          Instance instance;
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  insert into instances (service, instance_id, address, port, labels, ttl_millis,
                                         registered_at, expires_at)
                  values (?, ?, ?, ?, jsonb_object(?::text[], ?::text[]), ?,
                          now(), now() + ? * interval '1 millisecond')
                  on conflict (service, instance_id) do update set
                    address = excluded.address, port = excluded.port, labels = excluded.labels,
                    ttl_millis = excluded.ttl_millis, registered_at = excluded.registered_at,
                    expires_at = excluded.expires_at
                  returning\s"""
                      + COLUMNS)) {
            s.setString(1, registration.service());
            s.setString(2, registration.instanceId());
            s.setString(3, registration.address());
            s.setInt(4, registration.port());
            s.setArray(5, c.createArrayOf("text", keys.toArray()));
            s.setArray(
                6,
                c.createArrayOf("text", keys.stream().map(registration.labels()::get).toArray()));
            s.setLong(7, ttl.toMillis());
            s.setLong(8, ttl.toMillis());
            instance = instances(s).getFirst();
          }
          notify(c, registration.service());
          return instance;
        });
  }

  /**
   * Extends the lease by the ttl it was registered with.
   *
   * @return false if the instance is unknown or its lease has already lapsed (it must register
   *     again)
   */
  public boolean renew(String service, String instanceId) {
    return database.transaction(
        "renew " + service + "/" + instanceId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  update instances set expires_at = now() + ttl_millis * interval '1 millisecond'
                  where service = ? and instance_id = ? and expires_at > now()""")) {
            s.setString(1, service);
            s.setString(2, instanceId);
            return s.executeUpdate() == 1;
          }
        });
  }

  /** Removes an instance. Returns false if it was not registered. */
  public boolean deregister(String service, String instanceId) {
    return database.transaction(
        "deregister " + service + "/" + instanceId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("delete from instances where service = ? and instance_id = ?")) {
            s.setString(1, service);
            s.setString(2, instanceId);
            if (s.executeUpdate() == 0) {
              return false;
            }
          }
          notify(c, service);
          return true;
        });
  }

  /** Instances with a live lease, ordered by service and instance id. */
  public List<Instance> instances() {
    return query(Optional.empty());
  }

  /** Instances of {@code service} with a live lease, ordered by instance id. */
  public List<Instance> instances(String service) {
    return query(Optional.of(service));
  }

  /**
   * Run by a control plane as it starts, before it serves: if no control plane watched the leases
   * for longer than {@code tolerance} (every replica's {@link #sweepExpired sweep} marks the lease
   * clock as watched), the leases that were live when watching stopped are pushed forward by the
   * unwatched time. Instances could not renew while nobody took renewals; without this, a control
   * plane back from an outage longer than a lease would publish no endpoints until every instance
   * had registered again, and callers would fail meanwhile. Each such lease also gets at least one
   * whole TTL from now: its instance's next renewal may be most of a TTL away (it was backing off
   * while the control plane was gone), and lapsing in that gap would empty the endpoints just as
   * the control plane returns. An instance that died during the outage still lapses, as late as the
   * outage was long (at least one TTL after the return).
   *
   * @return how long the leases were unwatched, if longer than {@code tolerance} (the leases were
   *     then extended by it)
   */
  public Optional<Duration> resumeLeaseClock(Duration tolerance) {
    return database.transaction(
        "resume the lease clock",
        c -> {
          long unwatchedMillis;
          try (PreparedStatement s =
                  c.prepareStatement(
                      """
                      select (extract(epoch from now() - watched_until) * 1000)::bigint
                      from lease_clock for update""");
              ResultSet rs = s.executeQuery()) {
            rs.next();
            unwatchedMillis = rs.getLong(1);
          }
          if (unwatchedMillis <= tolerance.toMillis()) {
            return Optional.<Duration>empty();
          }
          Set<String> services = new TreeSet<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                      update instances i
                      set expires_at = greatest(
                          i.expires_at + ? * interval '1 millisecond',
                          now() + i.ttl_millis * interval '1 millisecond')
                      from lease_clock
                      where i.expires_at > lease_clock.watched_until
                      returning i.service"""); ) {
            s.setLong(1, unwatchedMillis);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                services.add(rs.getString(1));
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement("update lease_clock set watched_until = now()")) {
            s.executeUpdate();
          }
          for (String service : services) {
            notify(c, service);
          }
          return Optional.of(Duration.ofMillis(unwatchedMillis));
        });
  }

  /**
   * Gives every live lease at least one whole TTL from now. Run by a control plane once its admin
   * API takes renewals: while it started, and while no replica ran, renewals were refused, and an
   * instance renews only every third of its TTL, so a lease left with less than a TTL could lapse
   * before its next renewal, emptying the endpoints of a running instance. (An outage too short for
   * {@link #resumeLeaseClock} to notice still spends most of a 5 s TTL.) The cost: an instance that
   * died lingers at most one TTL after a control plane starts.
   */
  public void extendLiveLeases() {
    database.transaction(
        "extend live leases",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  """
                  update instances
                  set expires_at = now() + ttl_millis * interval '1 millisecond'
                  where expires_at > now()
                    and expires_at < now() + ttl_millis * interval '1 millisecond'""")) {
            return s.executeUpdate();
          }
        });
  }

  /**
   * Deletes instances whose lease has lapsed and notifies their services.
   *
   * @return how many were deleted (0 too when another replica is sweeping right now)
   */
  public int sweepExpired() {
    return database.transaction(
        "sweep expired instances",
        c -> {
          try (PreparedStatement watched =
              c.prepareStatement(
                  "update lease_clock set watched_until = greatest(watched_until, now())")) {
            watched.executeUpdate();
          }
          try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, SWEEP_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
              rs.next();
              if (!rs.getBoolean(1)) {
                return 0;
              }
            }
          }
          int swept = 0;
          Set<String> services = new TreeSet<>();
          try (PreparedStatement s =
                  c.prepareStatement(
                      "delete from instances where expires_at <= now() returning service");
              ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              swept++;
              services.add(rs.getString(1));
            }
          }
          for (String service : services) {
            notify(c, service);
          }
          return swept;
        });
  }

  private List<Instance> query(Optional<String> service) {
    return database.transaction(
        "read instances",
        c -> {
          String where =
              service.isPresent()
                  ? " where service = ? and expires_at > now() order by instance_id"
                  : " where expires_at > now() order by service, instance_id";
          try (PreparedStatement s =
              c.prepareStatement("select " + COLUMNS + " from instances" + where)) {
            if (service.isPresent()) {
              s.setString(1, service.get());
            }
            return instances(s);
          }
        });
  }

  private static List<Instance> instances(PreparedStatement s) throws SQLException {
    List<Instance> instances = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        instances.add(
            new Instance(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getInt(4),
                labels(rs.getArray(5), rs.getArray(6)),
                rs.getObject(7, OffsetDateTime.class).toInstant(),
                rs.getObject(8, OffsetDateTime.class).toInstant()));
      }
    }
    return instances;
  }

  private static Map<String, String> labels(Array keys, Array values) throws SQLException {
    String[] k = (String[]) keys.getArray();
    String[] v = (String[]) values.getArray();
    Map<String, String> labels = new HashMap<>();
    for (int i = 0; i < k.length; i++) {
      labels.put(k[i], v[i]);
    }
    return labels;
  }

  private static void notify(Connection c, String service) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_notify(?, ?)")) {
      s.setString(1, ChangeFeed.INSTANCES_CHANNEL);
      s.setString(2, service);
      s.execute(); // delivered at commit
    }
  }
}
