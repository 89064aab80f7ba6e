package dev.firemesh.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL database the control plane (or a chassis service) keeps its state in: an embedded
 * server under a data directory, or an external one. Opening it migrates its {@link Schema}
 * (Flyway, under a database lock, so replicas may start together); closing it closes the pool, then
 * stops the embedded server.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  /** Work done on one connection inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final PostgresUrl url;
  private final HikariDataSource pool;
  private final String description;
  private final AutoCloseable server;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Database(
      PostgresUrl url, HikariDataSource pool, String description, AutoCloseable server) {
    this.url = url;
    this.pool = pool;
    this.description = description;
    this.server = server;
  }

  /**
   * Starts (or restarts) the embedded PostgreSQL keeping its files under {@code dataDir}, first
   * stopping a server orphaned there by a process that was killed.
   *
   * <p>The server takes password logins only. The first start of a data directory (and the first
   * start of one made before FireMesh set passwords, which allowed any local user in) generates the
   * superuser's password into {@code <dataDir>/pg-password}, readable by its owner only; back that
   * file up with the data.
   *
   * @throws StoreException naming what failed: the data directory, the binaries or the port
   */
  public static Database embedded(Path dataDir) {
    return embedded(dataDir, Schema.CONTROL_PLANE);
  }

  /**
   * As {@link #embedded(Path)}, migrating {@code schema} instead of the control plane's: a chassis
   * service's own store.
   */
  public static Database embedded(Path dataDir, Schema schema) {
    EmbeddedServer server = EmbeddedServer.start(dataDir);
    try {
      return open(
          server.url(),
          schema,
          version ->
              "embedded PostgreSQL "
                  + version
                  + " at "
                  + server.host()
                  + ":"
                  + server.port()
                  + ", data dir "
                  + server.dataDir(),
          server);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * Stops the embedded PostgreSQL a control plane on {@code dataDir} left running when it was
   * killed (the next {@link #embedded} does so too). For a supervisor, such as the demo, whose
   * control plane child may be killed by hand.
   */
  public static void reclaimEmbedded(Path dataDir) {
    EmbeddedServer.reclaimOrphan(dataDir);
  }

  /**
   * Connects to an external PostgreSQL.
   *
   * @param url {@code postgresql://[user[:password]@]host[:port][/db][?params]} (libpq URI) or
   *     {@code jdbc:postgresql://host[:port]/db[?params]}
   * @throws StoreException if the URL is malformed or the server cannot be reached; the message
   *     names the URL with its password masked
   */
  public static Database external(String url) {
    return external(url, Schema.CONTROL_PLANE);
  }

  /** As {@link #external(String)}, migrating {@code schema} instead of the control plane's. */
  public static Database external(String url, Schema schema) {
    PostgresUrl parsed = PostgresUrl.parse(url);
    return open(parsed, schema, version -> "external " + parsed.display(), () -> {});
  }

  /**
   * An external PostgreSQL as it is, migrating nothing: for tools that read a store a service owns
   * ({@code firemesh events}, {@code firemesh tasks}), which must not change its schema.
   *
   * @throws StoreException if the URL is malformed or the server cannot be reached
   */
  public static Database inspect(String url) {
    PostgresUrl parsed = PostgresUrl.parse(url);
    HikariDataSource pool = null;
    try {
      pool = new HikariDataSource(poolConfig(parsed));
      return new Database(
          parsed, pool, "external " + parsed.display() + " " + serverVersion(pool), () -> {});
    } catch (SQLException | RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      throw new StoreException(
          "cannot connect to PostgreSQL at " + parsed.display() + ": " + rootMessage(e), e);
    }
  }

  private static Database open(
      PostgresUrl url, Schema schema, Function<String, String> describe, AutoCloseable server) {
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(poolConfig(url));
    } catch (RuntimeException e) {
      throw new StoreException(
          "cannot connect to PostgreSQL at " + url.display() + ": " + rootMessage(e), e);
    }
    try {
      migrate(pool, schema);
      Database db = new Database(url, pool, describe.apply(serverVersion(pool)), server);
      log.info("store ready: {}", db.description);
      return db;
    } catch (FlywayException | SQLException e) {
      pool.close();
      throw new StoreException(
          "cannot prepare the "
              + schema.name()
              + " schema in "
              + url.display()
              + ": "
              + rootMessage(e),
          e);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Migrates {@code schema}, one process at a time: instances of a service starting together on a
   * fresh database would otherwise race to create the history table (Flyway's own lock is taken
   * only once the table exists), and all but one would fail to start.
   */
  private static void migrate(HikariDataSource pool, Schema schema) throws SQLException {
    try (Connection lock = pool.getConnection()) {
      try (PreparedStatement s = lock.prepareStatement("select pg_advisory_lock(hashtext(?))")) {
        s.setString(1, "firemesh-migrate-" + schema.historyTable());
        s.execute();
      }
      try {
        Flyway.configure()
            .dataSource(pool)
            .locations(schema.locations().toArray(String[]::new))
            .table(schema.historyTable())
            // A schema's first migration on a database that already holds another schema's
            // tables (its history table absent): run all its migrations rather than refuse it.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .load()
            .migrate();
      } finally {
        try (PreparedStatement s =
            lock.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
          s.setString(1, "firemesh-migrate-" + schema.historyTable());
          s.execute();
        }
      }
    }
  }

  private static HikariConfig poolConfig(PostgresUrl url) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("firemesh-store");
    config.setJdbcUrl(url.jdbcUrl());
    config.setDataSourceProperties(url.driverProperties());
    config.setMaximumPoolSize(url.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    return config;
  }

  private static String serverVersion(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show server_version")) {
      rs.next();
      return rs.getString(1).split(" ")[0];
    }
  }

  /** The most connections the pool opens: the URL's {@code poolSize}, 8 by default. */
  public int poolSize() {
    return pool.getMaximumPoolSize();
  }

  /** The pooled connections. */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * A libpq URI another process can pass to {@link #external(String)} to share this database, e.g.
   * a second control-plane replica or a test using this one's embedded server.
   *
   * <p>It carries a secret: the password (for an embedded server, the superuser's password from
   * {@code <dataDir>/pg-password}). Never log or display it; use {@link #describe()} for that.
   */
  public String url() {
    return url.libpqUri();
  }

  /**
   * Creates database {@code name} on this server unless it exists, and answers a libpq URI to it
   * with this database's credentials: one server holding a database per service, as the demo's
   * service store does. For an embedded server the URI names the password file ({@code
   * passwordFile}) rather than carrying the password, so it can be written to files and passed to
   * other processes; for an external one it carries what this database's URL carried.
   *
   * @param name lower case letters, digits and underscores, starting with a letter
   */
  public String ensureDatabase(String name) {
    if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("not a database name: '" + name + "'");
    }
    try (Connection c = pool.getConnection()) {
      boolean exists;
      try (PreparedStatement s =
          c.prepareStatement("select 1 from pg_database where datname = ?")) {
        s.setString(1, name);
        try (ResultSet rs = s.executeQuery()) {
          exists = rs.next();
        }
      }
      if (!exists) {
        try (Statement s = c.createStatement()) {
          s.execute("create database " + name);
        } catch (SQLException e) {
          // Another process created it meanwhile: fine, it exists.
          if (!"42P04".equals(e.getSQLState())) {
            throw e;
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreException(
          "cannot create database " + name + " in " + description + ": " + rootMessage(e), e);
    }
    PostgresUrl other = url.withDatabase(name);
    return server instanceof EmbeddedServer embedded
        ? other.libpqUriWithPasswordFile(
            embedded.dataDir().resolve(SuperuserPassword.FILE_NAME).toAbsolutePath())
        : other.libpqUri();
  }

  /** What this database is, for logs and status pages; never includes a password. */
  public String describe() {
    return description;
  }

  /**
   * Runs {@code work} in one transaction on a pooled connection: committed if it returns, rolled
   * back if it throws. A {@link StoreException} thrown by {@code work} passes through as is; an
   * {@link SQLException} becomes a {@link StoreException} saying what was being done.
   *
   * @param what what the work does, for error messages ("apply changes")
   */
  public <T> T transaction(String what, Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback);
        }
        throw e; // the pool restores auto-commit when the connection returns
      }
    } catch (SQLException e) {
      throw new StoreException("cannot " + what + " in " + description + ": " + rootMessage(e), e);
    }
  }

  /**
   * A connection outside the pool, for work that holds one for long: LISTEN, session locks. The
   * caller closes it.
   */
  Connection connect(String applicationName) throws SQLException {
    Properties properties = url.driverProperties();
    properties.setProperty("ApplicationName", applicationName);
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("connectTimeout", Long.toString(CONNECTION_TIMEOUT.toSeconds()));
    return DriverManager.getConnection(url.jdbcUrl(), properties);
  }

  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      pool.close();
    } finally {
      try {
        server.close();
      } catch (Exception e) {
        throw e instanceof StoreException se
            ? se
            : new StoreException("cannot stop " + description + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public String toString() {
    return description;
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : e.getMessage() + " (" + message + ")";
  }
}
