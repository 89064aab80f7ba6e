package dev.firemesh.store.resource;

import dev.firemesh.store.ChangeFeed;
import dev.firemesh.store.Database;
import dev.firemesh.store.resource.ChangeSet.Delete;
import dev.firemesh.store.resource.ChangeSet.Edit;
import dev.firemesh.store.resource.ChangeSet.Put;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The resources and their revisions, in PostgreSQL. Safe to use from many threads and from many
 * processes sharing the database: writers serialize on the head row.
 */
public final class ResourceStore {

  private static final String STATE_AT =
      """
      select kind, name, body, revision from (
        select distinct on (kind, name) kind, name, body, revision
        from resource_versions where revision <= ?
        order by kind, name, revision desc) latest
      where body is not null order by kind, name""";

  private final Database database;

  public ResourceStore(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /**
   * Applies {@code changes} in one transaction, committed before this returns, as the next
   * revision. Puts of a body equal to the current one change nothing; if nothing changes at all no
   * revision is created and the result is {@link Revision#unchanged()} with the current head.
   *
   * @throws ResourceNotFoundException if a delete names an absent resource; nothing is written
   */
  public Revision apply(ChangeSet changes, String actor, String message) {
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(message, "message");
    return database.transaction(
        "apply changes", c -> write(c, lockHead(c), changes.edits(), actor, message));
  }

  /**
   * Like {@link #apply(ChangeSet, String, String)}, but only if the head revision is still {@code
   * expectedHead}: for a caller that validated {@code changes} against the state at that revision
   * and must not commit them over anything it has not seen. Read {@link #head()} first, then that
   * state with {@link #at(long)} (exactly the state this protects; {@link #current()} read after
   * {@code head()} also works, a change in between only makes the apply fail). The head is checked
   * under the writers' lock, so of several appliers expecting the same head, exactly one succeeds.
   *
   * @param expectedHead the head the caller's state was read at; 0 for an empty store
   * @throws ConcurrentChangeException if the head is another; nothing is written
   * @throws ResourceNotFoundException if a delete names an absent resource; nothing is written
   */
  public Revision apply(ChangeSet changes, String actor, String message, long expectedHead) {
    Objects.requireNonNull(changes, "changes");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(message, "message");
    if (expectedHead < 0) {
      throw new IllegalArgumentException(
          "expected head revision must be 0 or more, got " + expectedHead);
    }
    return database.transaction(
        "apply changes",
        c -> {
          long head = lockHead(c);
          if (head != expectedHead) {
            throw new ConcurrentChangeException(expectedHead, head);
          }
          return write(c, head, changes.edits(), actor, message);
        });
  }

  /**
   * Makes the current state equal to the state right after revision {@code target}, as a new
   * revision with message "rollback to {@code target}" (unchanged if it already is).
   *
   * @throws RevisionNotFoundException if there is no such revision
   */
  public Revision rollback(long target, String actor) {
    Objects.requireNonNull(actor, "actor");
    return database.transaction(
        "roll back to revision " + target,
        c -> {
          long head = lockHead(c);
          requireRevision(target, head);
          Map<String, StoredResource> then = byKey(stateAt(c, target));
          List<Edit> edits = new ArrayList<>();
          for (StoredResource now : current(c, Optional.empty())) {
            if (!then.containsKey(key(now.kind(), now.name()))) {
              edits.add(new Delete(now.kind(), now.name()));
            }
          }
          then.values().forEach(r -> edits.add(new Put(r.kind(), r.name(), r.body())));
          edits.sort(Comparator.comparing(Edit::kind).thenComparing(Edit::name));
          return write(c, head, edits, actor, "rollback to " + target);
        });
  }

  /** All current resources, ordered by kind and name. */
  public List<StoredResource> current() {
    return database.transaction("read resources", c -> current(c, Optional.empty()));
  }

  /** The current resources of one kind, ordered by name. */
  public List<StoredResource> current(String kind) {
    Objects.requireNonNull(kind, "kind");
    return database.transaction("read resources", c -> current(c, Optional.of(kind)));
  }

  public Optional<StoredResource> get(String kind, String name) {
    return database.transaction(
        "read " + kind + "/" + name,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select kind, name, body, revision from resources where kind = ? and name = ?")) {
            s.setString(1, kind);
            s.setString(2, name);
            return resources(s).stream().findFirst();
          }
        });
  }

  /**
   * The full state as it was right after {@code revision}, ordered by kind and name.
   *
   * @throws RevisionNotFoundException if there is no such revision
   */
  public List<StoredResource> at(long revision) {
    return database.transaction(
        "read revision " + revision,
        c -> {
          requireRevision(revision, head(c));
          return stateAt(c, revision);
        });
  }

  /** The latest revision number; 0 before the first. */
  public long head() {
    return database.transaction("read the head revision", ResourceStore::head);
  }

  /** The latest {@code limit} revisions with their changes, newest first. */
  public List<Revision> history(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("history limit must be positive, got " + limit);
    }
    return database.transaction(
        "read history",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select id, actor, message, created_at from revisions order by id desc limit ?")) {
            s.setInt(1, limit);
            return withChanges(c, s);
          }
        });
  }

  /** Revision {@code number} with its changes, if it exists. */
  public Optional<Revision> revision(long number) {
    return database.transaction(
        "read revision " + number,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select id, actor, message, created_at from revisions where id = ?")) {
            s.setLong(1, number);
            return withChanges(c, s).stream().findFirst();
          }
        });
  }

  /** Takes the writers' lock (until commit) and returns the head it guards. */
  private static long lockHead(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select revision from resource_head for update");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long head(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select revision from resource_head");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Revision write(
      Connection c, long head, List<Edit> edits, String actor, String message) throws SQLException {
    Map<String, String> before = currentBodies(c, edits);
    List<Change> changes = new ArrayList<>();
    List<String> bodies = new ArrayList<>(); // parallel to changes; null for a delete
    for (Edit edit : edits) {
      String old = before.get(key(edit.kind(), edit.name()));
      switch (edit) {
        case Put put when put.body().equals(old) -> {}
        case Put put -> {
          changes.add(
              new Change(
                  put.kind(), put.name(), old == null ? Change.Op.CREATED : Change.Op.UPDATED));
          bodies.add(put.body());
        }
        case Delete delete when old == null ->
            throw new ResourceNotFoundException(delete.kind(), delete.name());
        case Delete delete -> {
          changes.add(new Change(delete.kind(), delete.name(), Change.Op.DELETED));
          bodies.add(null);
        }
      }
    }
    if (changes.isEmpty()) {
      return new Revision(head, actor, message, clock(c), List.of());
    }
    long number = head + 1;
    Instant createdAt;
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into revisions (id, actor, message, created_at)"
                + " values (?, ?, ?, clock_timestamp()) returning created_at")) {
      s.setLong(1, number);
      s.setString(2, actor);
      s.setString(3, message);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        createdAt = instant(rs, 1);
      }
    }
    try (PreparedStatement s =
        c.prepareStatement(
            """
            insert into resource_versions (revision, position, kind, name, op, body)
            select ?, u.position, u.kind, u.name, u.op, u.body
            from unnest(?::text[], ?::text[], ?::text[], ?::text[])
              with ordinality as u(kind, name, op, body, position)""")) {
      s.setLong(1, number);
      s.setArray(2, c.createArrayOf("text", changes.stream().map(Change::kind).toArray()));
      s.setArray(3, c.createArrayOf("text", changes.stream().map(Change::name).toArray()));
      s.setArray(4, c.createArrayOf("text", changes.stream().map(ch -> ch.op().name()).toArray()));
      s.setArray(5, c.createArrayOf("text", bodies.toArray()));
      s.executeUpdate();
    }
    update(
        c,
        """
        insert into resources (kind, name, body, revision)
        select kind, name, body, revision from resource_versions
        where revision = ? and body is not null
        on conflict (kind, name) do update set body = excluded.body, revision = excluded.revision""",
        number);
    update(
        c,
        """
        delete from resources r using resource_versions v
        where v.revision = ? and v.body is null and r.kind = v.kind and r.name = v.name""",
        number);
    update(c, "update resource_head set revision = ?", number);
    try (PreparedStatement s = c.prepareStatement("select pg_notify(?, ?)")) {
      s.setString(1, ChangeFeed.RESOURCES_CHANNEL);
      s.setString(2, Long.toString(number));
      s.execute(); // delivered at commit
    }
    return new Revision(number, actor, message, createdAt, changes);
  }

  private static Map<String, String> currentBodies(Connection c, List<Edit> edits)
      throws SQLException {
    Map<String, String> bodies = new HashMap<>();
    if (edits.isEmpty()) {
      return bodies;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            """
            select r.kind, r.name, r.body
            from resources r join unnest(?::text[], ?::text[]) as k(kind, name)
              on r.kind = k.kind and r.name = k.name""")) {
      s.setArray(1, c.createArrayOf("text", edits.stream().map(Edit::kind).toArray()));
      s.setArray(2, c.createArrayOf("text", edits.stream().map(Edit::name).toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          bodies.put(key(rs.getString(1), rs.getString(2)), rs.getString(3));
        }
      }
    }
    return bodies;
  }

  private static List<StoredResource> current(Connection c, Optional<String> kind)
      throws SQLException {
    String sql = "select kind, name, body, revision from resources";
    try (PreparedStatement s =
        c.prepareStatement(
            sql + (kind.isPresent() ? " where kind = ? order by name" : " order by kind, name"))) {
      if (kind.isPresent()) {
        s.setString(1, kind.get());
      }
      return resources(s);
    }
  }

  private static List<StoredResource> stateAt(Connection c, long revision) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(STATE_AT)) {
      s.setLong(1, revision);
      return resources(s);
    }
  }

  private static List<StoredResource> resources(PreparedStatement s) throws SQLException {
    List<StoredResource> resources = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        resources.add(
            new StoredResource(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
      }
    }
    return resources;
  }

  /** Runs a query of revisions (id, actor, message, created_at) and attaches their changes. */
  private static List<Revision> withChanges(Connection c, PreparedStatement revisions)
      throws SQLException {
    record Row(long id, String actor, String message, Instant createdAt) {}
    List<Row> rows = new ArrayList<>();
    try (ResultSet rs = revisions.executeQuery()) {
      while (rs.next()) {
        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4)));
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<Long, List<Change>> changes = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select revision, kind, name, op from resource_versions"
                + " where revision = any(?) order by revision, position")) {
      s.setArray(1, c.createArrayOf("bigint", rows.stream().map(Row::id).toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          changes
              .computeIfAbsent(rs.getLong(1), id -> new ArrayList<>())
              .add(
                  new Change(rs.getString(2), rs.getString(3), Change.Op.valueOf(rs.getString(4))));
        }
      }
    }
    return rows.stream()
        .map(r -> new Revision(r.id(), r.actor(), r.message(), r.createdAt(), changes.get(r.id())))
        .toList();
  }

  private static void requireRevision(long revision, long head) {
    if (revision < 1 || revision > head) {
      throw new RevisionNotFoundException(revision, head);
    }
  }

  private static void update(Connection c, String sql, long revision) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setLong(1, revision);
      s.executeUpdate();
    }
  }

  private static Instant clock(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select clock_timestamp()");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return instant(rs, 1);
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  private static Map<String, StoredResource> byKey(List<StoredResource> resources) {
    Map<String, StoredResource> byKey = new LinkedHashMap<>();
    resources.forEach(r -> byKey.put(key(r.kind(), r.name()), r));
    return byKey;
  }

  private static String key(String kind, String name) {
    return kind + "\0" + name;
  }
}
