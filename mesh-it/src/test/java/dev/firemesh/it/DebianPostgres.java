package dev.firemesh.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from Debian's {@code postgresql-15} package: the external store a
 * production user runs, a different major version from the embedded one, reached by URL with a
 * SCRAM password over TCP. {@code ./run-tests} installs the package; PostgreSQL refuses to run as
 * root, so when the tests run as root the server runs as the {@code postgres} user.
 */
final class DebianPostgres implements AutoCloseable {
  static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static final String USER = "firemesh";

  private final Path dir;
  private final int port;
  private final String password;

  private DebianPostgres(Path dir, int port, String password) {
    this.dir = dir;
    this.port = port;
    this.password = password;
  }

  static DebianPostgres start() throws Exception {
    if (!Files.isExecutable(BIN.resolve("postgres"))) {
      throw new IllegalStateException(
          BIN.resolve("postgres")
              + " is missing: ./run-tests installs Debian's postgresql-15 before the tests");
    }
    // Not under a JUnit @TempDir: the server's user must be able to reach its data directory.
    Path dir = Files.createTempDirectory("firemesh-pg15-");
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    Files.writeString(dir.resolve("pwfile"), password + "\n");
    if (runningAsRoot()) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
    }
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    DebianPostgres server = new DebianPostgres(dir, port, password);
    try {
      server.asServerUser(
          BIN.resolve("initdb").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-U",
          USER,
          "--auth=scram-sha-256",
          "--pwfile=" + dir.resolve("pwfile"),
          "-E",
          "UTF8",
          "--no-instructions");
      server.asServerUser(
          BIN.resolve("pg_ctl").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-l",
          dir.resolve("server.log").toString(),
          "-o",
          "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
          "-w",
          "-t",
          "60",
          "start");
      return server;
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  /** The URL a control plane takes with {@code --store}, password included. */
  String url() {
    return "postgresql://" + USER + ":" + password + "@127.0.0.1:" + port + "/postgres";
  }

  String password() {
    return password;
  }

  private void asServerUser(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (runningAsRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    run(full);
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " did not finish");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (" + process.exitValue() + "):\n" + output);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        asServerUser(
            BIN.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-m",
            "immediate",
            "-w",
            "stop");
      }
    } catch (Exception e) {
      throw new IOException("could not stop the PostgreSQL server in " + dir, e);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
