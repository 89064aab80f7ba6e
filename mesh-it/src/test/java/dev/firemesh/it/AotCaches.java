package dev.firemesh.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * AOT caches (JDK 25, JEP 483/514) for the tests' {@code firemesh} child JVMs, as the launcher has
 * for its sidecars (scripts/lib/sidecar-jvm.sh). A child then maps its classes loaded and linked
 * from the cache instead of reading the jars: a control plane's start took 4.6 s of CPU without and
 * 3.1 s with one, a sidecar's 4.3 s and 2.6 s, and the suite starts a few hundred of them on two
 * cores.
 *
 * <p>The caches are trained once per class path (they are kept in {@code target/aot/<key>}, the key
 * naming the JDK and every jar with its size and time), by one control plane and one sidecar
 * started and stopped as the tests start them. The JVM refuses non-empty directories on a cache's
 * class path, so a child's class path lists the jars first and the directories (this module's test
 * classes and logging set-up) after them, where the JVM allows extras. A cache the JVM cannot use
 * is skipped ({@code -XX:AOTMode=auto}), and a training that fails costs only the speed.
 */
final class AotCaches {
  private static final Path ROOT = Path.of("target", "aot").toAbsolutePath();
  private static final String CACHE_SUFFIX = ".aot";

  /** The subcommands with a cache of their own; {@code run} is a sidecar with an app beside it. */
  private static final List<String> ROLES = List.of("control", "proxy");

  private static final List<String> JARS = new ArrayList<>();
  private static final List<String> DIRECTORIES = new ArrayList<>();

  static {
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      (entry.endsWith(".jar") ? JARS : DIRECTORIES).add(entry);
    }
  }

  /** Where this JVM's caches are, once trained; null when training failed. */
  private static Path caches;

  private static boolean settled;

  /** Set while the training children start: they write the caches instead of reading them. */
  private static Path training;

  private AotCaches() {}

  /**
   * The JVM options of a {@code firemesh <subcommand>} child, class path included. A control plane
   * or sidecar gets its cache, the jars first on its class path, and this module's logging set-up
   * named outright, so that the training children, which have the jars alone, log as the others do;
   * other subcommands get the test's own class path.
   */
  static synchronized List<String> options(String subcommand) {
    String role = subcommand.equals("run") ? "proxy" : subcommand;
    if (!ROLES.contains(role)) {
      return List.of("-cp", System.getProperty("java.class.path"));
    }
    List<String> options = new ArrayList<>(cache(role));
    URL logging = AotCaches.class.getResource("/logback-test.xml");
    if (logging != null && logging.getProtocol().equals("file")) {
      options.add("-Dlogback.configurationFile=" + logging.getPath());
    }
    // The JVM refuses to write a cache when a directory on the class path holds classes: the
    // training children have the jars alone (the JVM that writes the cache at exit inherits them).
    List<String> classPath =
        training != null ? JARS : Stream.concat(JARS.stream(), DIRECTORIES.stream()).toList();
    options.add("-cp");
    options.add(String.join(File.pathSeparator, classPath));
    return options;
  }

  private static List<String> cache(String role) {
    if (training != null) {
      return List.of("-XX:AOTCacheOutput=" + training.resolve(role + CACHE_SUFFIX));
    }
    if (!settled) {
      settled = true;
      caches = trained();
    }
    if (caches == null) {
      return List.of();
    }
    return List.of(
        "-XX:AOTCache=" + caches.resolve(role + CACHE_SUFFIX),
        "-XX:AOTMode=auto"); // a cache that does not fit is skipped, never fatal
  }

  /** The caches for this class path, trained now if missing; null if training failed. */
  private static Path trained() {
    try {
      Path dir = ROOT.resolve(key());
      if (ROLES.stream().allMatch(role -> Files.isRegularFile(dir.resolve(role + CACHE_SUFFIX)))) {
        return dir;
      }
      deleteTree(ROOT); // caches of earlier builds' jars
      Path scratch = Files.createDirectories(ROOT.resolve("training"));
      training = scratch;
      try {
        train(scratch);
      } finally {
        training = null;
      }
      Files.createDirectories(dir);
      for (String role : ROLES) {
        Path cache = scratch.resolve(role + CACHE_SUFFIX);
        if (!Files.isRegularFile(cache)) {
          throw new IllegalStateException("no " + role + CACHE_SUFFIX + " was written");
        }
        Files.move(cache, dir.resolve(cache.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      deleteTree(scratch); // the training's data directory, embedded PostgreSQL's included
      return dir;
    } catch (Exception e) {
      System.err.println(
          "note: the child JVMs start without AOT caches (training failed: " + e + ")");
      return null;
    }
  }

  /**
   * One control plane (embedded PostgreSQL) and one sidecar that enrols, opens its mTLS xDS stream,
   * takes its configuration and registers, then both stopped with SIGTERM: at exit each JVM writes
   * the classes it loaded into its cache.
   */
  private static void train(Path scratch) throws Exception {
    try (ControlPlaneProcess control = ControlPlaneProcess.start(scratch.resolve("control"));
        ServerSocket app = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      SidecarProcess sidecar =
          SidecarProcess.start(
              control.dataDir(),
              scratch.resolve("sidecar"),
              "aot-training",
              "aot-training-1",
              List.of("--app-port", Integer.toString(app.getLocalPort())));
      sidecar.terminate(Duration.ofSeconds(60));
    }
  }

  private static String key() throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
    digest.update(System.getProperty("java.vm.version").getBytes(StandardCharsets.UTF_8));
    for (String jar : JARS) {
      Path path = Path.of(jar);
      digest.update(
          (jar + "|" + Files.size(path) + "|" + Files.getLastModifiedTime(path).toMillis() + "\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 8);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }
}
