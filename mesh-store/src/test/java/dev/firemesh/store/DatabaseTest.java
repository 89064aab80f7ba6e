package dev.firemesh.store;

import static java.nio.file.attribute.PosixFilePermission.OWNER_READ;
import static java.nio.file.attribute.PosixFilePermission.OWNER_WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.store.resource.ChangeSet;
import dev.firemesh.store.resource.ResourceStore;
import dev.firemesh.store.resource.StoredResource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  @TempDir Path dataDir;

  @Test
  void oneServerHoldsADatabasePerServiceReachableByAUrlWithoutThePassword() throws Exception {
    try (Database server = Database.embedded(dataDir)) {
      String url = server.ensureDatabase("orders");
      assertThat(server.ensureDatabase("orders")).as("idempotent").isEqualTo(url);
      assertThat(url)
          .contains("/orders?passwordFile=")
          .doesNotContain(Files.readString(passwordFile()));

      try (Database orders = Database.inspect(url)) {
        assertThat(orders.describe()).contains("/orders");
        assertThat(setting(orders, "server_version")).startsWith("17");
        assertThat(count(orders, "select count(*) from pg_tables where schemaname = 'public'"))
            .as("inspect migrates nothing")
            .isZero();
      }
      assertThatThrownBy(() -> server.ensureDatabase("Orders; drop"))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void instancesStartingTogetherOnAFreshDatabaseAllMigrateIt() throws Exception {
    try (Database server = Database.embedded(dataDir)) {
      for (int round = 0; round < 6; round++) {
        String url = server.ensureDatabase("fresh_" + round);
        List<CompletableFuture<Database>> opening = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          opening.add(
              CompletableFuture.supplyAsync(() -> Database.external(url, Schema.CONTROL_PLANE)));
        }
        for (CompletableFuture<Database> open : opening) {
          try (Database database = open.get(60, TimeUnit.SECONDS)) {
            assertThat(database.describe()).contains("fresh_" + round);
          }
        }
      }
    }
  }

  @Test
  void embeddedDataSurvivesAStopAndStart() throws SQLException, IOException {
    String password;
    try (Database database = Database.embedded(dataDir)) {
      new ResourceStore(database)
          .apply(ChangeSet.builder().put("Service", "orders", "{\"a\":1}").build(), "t", "m");
      assertThat(database.describe())
          .startsWith("embedded PostgreSQL 17.6 at 127.0.0.1:")
          .endsWith("data dir " + dataDir.toRealPath());
      // A control plane's store must be durable and private, whatever zonky's test defaults are.
      assertThat(setting(database, "listen_addresses")).isEqualTo("127.0.0.1");
      assertThat(setting(database, "unix_socket_directories")).isEmpty();
      assertThat(setting(database, "fsync")).isEqualTo("on");
      assertThat(setting(database, "synchronous_commit")).isEqualTo("on");
      password = Files.readString(passwordFile());
    }

    try (Database database = Database.embedded(dataDir)) {
      assertThat(new ResourceStore(database).get("Service", "orders"))
          .contains(new StoredResource("Service", "orders", "{\"a\":1}", 1));
      assertThat(Files.readString(passwordFile())).as("kept across restarts").isEqualTo(password);
      assertLockedDown(database);
    }
  }

  @Test
  void theEmbeddedServerTakesOnlyItsSuperusersPasswordByScram() throws Exception {
    try (Database database = Database.embedded(dataDir)) {
      String password = Files.readString(passwordFile());
      assertThat(password).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, base64url
      assertThat(Files.getPosixFilePermissions(passwordFile()))
          .containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);

      assertLockedDown(database);
      try (Connection c = database.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "select current_user, rolpassword like 'SCRAM-SHA-256$4096:%'"
                      + " from pg_authid where rolname = current_user")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("postgres");
        assertThat(rs.getBoolean(2)).as("stored as a SCRAM verifier").isTrue();
      }
      try (Connection c = connect(database, "postgres", Optional.of(password))) {
        assertThat(c.isValid(5)).as("the URL's password is the file's").isTrue();
      }
      // url() carries the secret for another replica; nothing meant for people or logs does.
      assertThat(database.url()).contains(password);
      assertThat(database.describe()).doesNotContain(password);
      assertThat(database.toString()).doesNotContain(password);
      assertThat(PostgresUrl.parse(database.url()).toString())
          .doesNotContain(password)
          .contains(":***@");
      assertThat(Files.readString(dataDir.resolve("postgresql.log"))).doesNotContain(password);
    }
  }

  @Test
  void aDataDirectoryFromBeforePasswordsIsLockedDownAtItsNextStart() throws Exception {
    Path clusterDir = dataDir.resolve("pg");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    // What FireMesh ran before passwords: zonky's initdb -A trust, so anyone local got in.
    try (EmbeddedPostgres old =
        EmbeddedPostgres.builder()
            .setDataDirectory(clusterDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setServerConfig("unix_socket_directories", "")
            .start()) {
      Properties noPassword = new Properties();
      noPassword.setProperty("user", "postgres");
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:" + old.getPort() + "/postgres", noPassword);
          Statement s = c.createStatement()) {
        s.execute("create schema legacy");
        s.execute("create table legacy.kept (note text)");
        s.execute("insert into legacy.kept values ('from the trust days')");
      }
    }
    assertThat(Files.readString(clusterDir.resolve("pg_hba.conf"))).contains("trust");
    assertThat(passwordFile()).doesNotExist();

    try (Database database = Database.embedded(dataDir)) {
      assertLockedDown(database);
      assertThat(Files.getPosixFilePermissions(passwordFile()))
          .containsExactlyInAnyOrder(OWNER_READ, OWNER_WRITE);
      try (Connection c = database.dataSource().getConnection();
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select note from legacy.kept")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("from the trust days");
      }
    }
  }

  @Test
  void aLoosenedPgHbaIsLockedDownAgainAtTheNextStart() throws Exception {
    try (Database _ = Database.embedded(dataDir)) {
      // started once: locked down
    }
    Path hba = dataDir.resolve("pg/pg_hba.conf");
    Files.writeString(hba, "host all all 127.0.0.1/32 trust\n" + Files.readString(hba));

    try (Database database = Database.embedded(dataDir)) {
      assertLockedDown(database);
      assertThat(Files.readString(hba)).isEqualTo(ClientAuthentication.HBA);
    }
  }

  @Test
  void aLostPasswordFileIsReplacedWithANewPassword() throws Exception {
    String lost;
    try (Database _ = Database.embedded(dataDir)) {
      lost = Files.readString(passwordFile());
    }
    Files.delete(passwordFile());

    try (Database database = Database.embedded(dataDir)) {
      String replacement = Files.readString(passwordFile());
      assertThat(replacement).isNotEqualTo(lost);
      assertLockedDown(database);
      assertThatThrownBy(() -> connect(database, "postgres", Optional.of(lost)))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(INVALID_PASSWORD));
    }
  }

  @Test
  void aPostgresOrphanedByAKilledProcessIsStoppedAndItsDataKept() throws Exception {
    Process child = startChild(dataDir);
    Optional<ProcessHandle> orphan = Optional.empty();
    try {
      awaitReady(child);
      long postmasterPid = postmasterPid(dataDir);
      assertThatThrownBy(() -> Database.embedded(dataDir))
          .as("while its owner lives, the data directory is not ours to take")
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("in use by another running process");

      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      orphan = ProcessHandle.of(postmasterPid);
      assertThat(orphan).as("the postmaster outlives its killed owner").isPresent();
      assertThat(running(orphan.get())).isTrue();

      try (Database database = Database.embedded(dataDir)) {
        assertThat(running(orphan.get())).as("the orphan was stopped").isFalse();
        assertThat(new ResourceStore(database).get("Service", "orders").map(StoredResource::body))
            .contains(EmbeddedChild.BODY);
        assertThat(postmasterPid(dataDir)).isNotEqualTo(postmasterPid);
      }
    } finally {
      child.destroyForcibly();
      orphan.filter(DatabaseTest::running).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aDataDirectoryServedInThisProcessIsRefused() {
    try (Database _ = Database.embedded(dataDir)) {
      assertThatThrownBy(() -> Database.embedded(dataDir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("already served")
          .hasMessageContaining(dataDir.getFileName().toString());
    }
  }

  @Test
  void aDataDirectoryThatCannotBeCreatedIsNamed() throws IOException {
    Path file = Files.createFile(dataDir.resolve("not-a-dir"));

    assertThatThrownBy(() -> Database.embedded(file.resolve("data")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("cannot create data directory " + file.resolve("data"));
  }

  @Test
  void aLeftoverOfAFailedFirstStartIsNotMistakenForACluster() throws IOException {
    Files.createDirectories(dataDir.resolve("pg"));
    Files.writeString(dataDir.resolve("pg/PG_VERSION"), "17\n");

    assertThatThrownBy(() -> Database.embedded(dataDir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("holds files but no PostgreSQL cluster");
  }

  @Test
  void anUnreachableExternalServerIsReportedWithThePasswordMasked() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "postgresql://mesh:hunter2@127.0.0.1:" + closedPort + "/firemesh";

    assertThatThrownBy(() -> Database.external(url))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(
            "cannot connect to PostgreSQL at postgresql://mesh:***@127.0.0.1:" + closedPort)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aSecondSchemaSharesTheDatabaseWithItsOwnHistory() throws SQLException {
    Schema notes =
        new Schema("test notes", List.of("classpath:db/migration/store-test"), "test_history");
    // The service's schema first: the control plane then finds a database that is not empty.
    try (Database service = Database.embedded(dataDir, notes);
        Database controlPlane = Database.external(service.url())) {
      new ResourceStore(controlPlane)
          .apply(ChangeSet.builder().put("Service", "orders", "{}").build(), "t", "m");
      service.transaction(
          "write a note",
          c -> {
            try (Statement s = c.createStatement()) {
              return s.executeUpdate("insert into test_notes values (1, 'kept')");
            }
          });
      assertThat(migrated(service, "test_history")).containsExactly("1");
      assertThat(migrated(service, "flyway_schema_history"))
          .as("the control plane's own migrations, after a baseline at 0")
          .startsWith("0", "1", "2");
    }
    try (Database again = Database.embedded(dataDir, notes)) {
      assertThat(migrated(again, "test_history")).as("nothing re-run").containsExactly("1");
    }
  }

  private static List<String> migrated(Database database, String historyTable) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("select version from " + historyTable + " order by installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }

  private static final String INVALID_PASSWORD = "28P01";

  /**
   * The server asks for a password by SCRAM, refuses a wrong one (for any user), and has loaded no
   * rule but ours: no trust, no Unix socket line.
   */
  private static void assertLockedDown(Database database) throws SQLException {
    assertThatThrownBy(() -> connect(database, "postgres", Optional.empty()))
        .as("no password")
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("SCRAM");
    assertThatThrownBy(() -> connect(database, "postgres", Optional.of("wrong")))
        .as("wrong password")
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(INVALID_PASSWORD));
    assertThatThrownBy(() -> connect(database, "intruder", Optional.of("guess")))
        .as("another user")
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(INVALID_PASSWORD));
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select type, address, auth_method, error from pg_hba_file_rules"
                    + " order by rule_number")) {
      List<String> rules = new ArrayList<>();
      while (rs.next()) {
        rules.add(
            rs.getString(1)
                + " "
                + rs.getString(2)
                + " "
                + rs.getString(3)
                + " "
                + rs.getString(4));
      }
      assertThat(rules)
          .containsExactly("host 127.0.0.1 scram-sha-256 null", "host ::1 scram-sha-256 null");
    }
    assertThat(setting(database, "password_encryption")).isEqualTo("scram-sha-256");
  }

  /** A connection of its own to the database's server, as {@code user}, outside the pool. */
  private static Connection connect(Database database, String user, Optional<String> password)
      throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    password.ifPresent(p -> properties.setProperty("password", p));
    return DriverManager.getConnection(PostgresUrl.parse(database.url()).jdbcUrl(), properties);
  }

  private static long count(Database database, String sql) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private Path passwordFile() {
    return dataDir.resolve("pg-password");
  }

  private static String setting(Database database, String name) throws SQLException {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("show " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Alive and not a zombie awaiting its reaper (which {@link ProcessHandle#isAlive} counts). */
  private static boolean running(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return process.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private static long postmasterPid(Path dataDir) throws IOException {
    return Long.parseLong(Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).getFirst());
  }

  private static Process startChild(Path dataDir) throws IOException {
    String java = ProcessHandle.current().info().command().orElseThrow();
    return new ProcessBuilder(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                EmbeddedChild.class.getName(),
                dataDir.toString()))
        .redirectErrorStream(true)
        .start();
  }

  /** Waits for READY, echoing the child's output; a child that dies first fails the test. */
  private static void awaitReady(Process child) throws Exception {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  System.out.println("[child] " + line);
                  if (line.equals("READY")) {
                    ready.complete(null);
                  }
                }
              } catch (IOException e) {
                ready.completeExceptionally(e);
              }
              ready.completeExceptionally(new AssertionError("child exited before READY"));
            });
    ready.get(120, TimeUnit.SECONDS);
  }
}
