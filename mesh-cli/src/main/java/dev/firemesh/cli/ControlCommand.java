package dev.firemesh.cli;

import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.PortInUseException;
import dev.firemesh.control.ca.CertificateAuthority;
import dev.firemesh.control.telemetry.TelemetryOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "control",
    description = {
      "Run the control plane: admin API, registry and xDS server, on PostgreSQL.",
      "Without --store it starts an embedded PostgreSQL under <data-dir>/pg."
    },
    footer = {
      "%nExamples:",
      "  firemesh control",
      "  firemesh control --data-dir /var/lib/firemesh --admin-port 7070 --xds-port 18000",
      "  firemesh control --store postgresql://firemesh:secret@db1:5432/firemesh",
      "  firemesh control --trust-domain bank.example --svid-ttl 30m --ca-kek-file /etc/firemesh/ca.kek",
      "  firemesh control --scrape-interval 2s --trace-memory 256MiB --rollup-retention 30d",
      "%nThe admin API is HTTPS with a certificate from the mesh CA; the CA's roots are written to",
      "<data-dir>/trust-bundle.pem, which the CLI trusts. The bootstrap admin token is written to",
      "<data-dir>/admin.token (mode 0600); `firemesh operator create` makes operators with roles.",
      "CA private keys are stored in PostgreSQL sealed with the key in <data-dir>/ca.kek (created",
      "at first start, mode 0600) or --ca-kek-file. Replicas sharing a database must share that",
      "file; back it up apart from the database."
    })
final class ControlCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where state lives (default: $FIREMESH_DATA_DIR or ~/.firemesh).")
  Path dataDir;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description =
          "External PostgreSQL, postgresql://user:pass@host:port/db or jdbc:postgresql://...")
  String store;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      defaultValue = "" + ControlPlaneFiles.DEFAULT_ADMIN_PORT,
      description = "Admin API port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--admin-hostname",
      paramLabel = "NAME",
      description =
          "A DNS name the admin API's certificate carries besides localhost and 127.0.0.1"
              + " (repeatable), for clients that reach it by that name.")
  List<String> adminHostnames = new ArrayList<>();

  @Option(
      names = "--xds-port",
      paramLabel = "PORT",
      defaultValue = "" + ControlPlaneFiles.DEFAULT_XDS_PORT,
      description =
          "xDS (ADS over gRPC) port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int xdsPort;

  @Option(
      names = "--trust-domain",
      paramLabel = "DOMAIN",
      defaultValue = CertificateAuthority.DEFAULT_TRUST_DOMAIN,
      description =
          "SPIFFE trust domain of workload identities; fixed at the database's first start"
              + " (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(
      names = "--svid-ttl",
      paramLabel = "DURATION",
      defaultValue = "1h",
      description = "Lifetime of workload SVIDs, 5m to 24h (default: ${DEFAULT-VALUE}).")
  String svidTtl;

  @Option(
      names = "--ca-kek-file",
      paramLabel = "FILE",
      description =
          "Key that seals CA private keys (32 raw bytes, mode 0600); default <data-dir>/ca.kek,"
              + " created at first start.")
  Path caKekFile;

  @Option(
      names = "--ca-root-cert",
      paramLabel = "FILE",
      description = "Use your own CA (first start only): the root certificate, PEM.")
  Path caRootCert;

  @Option(
      names = "--ca-intermediate-cert",
      paramLabel = "FILE",
      description = "With --ca-root-cert: the intermediate that signs SVIDs, PEM.")
  Path caIntermediateCert;

  @Option(
      names = "--ca-intermediate-key",
      paramLabel = "FILE",
      description = "With --ca-root-cert: the intermediate's private key, PEM PKCS#8.")
  Path caIntermediateKey;

  @Option(
      names = "--ca-warn-before",
      paramLabel = "DURATION",
      defaultValue = "720h",
      description =
          "Warn this long before a CA certificate expires, or at 20%% of its lifetime left if"
              + " that comes first (default: ${DEFAULT-VALUE}).")
  String caWarnBefore;

  @Option(
      names = "--ca-bundle-propagation",
      paramLabel = "DURATION",
      description =
          "How long a new root must have been in the trust bundle before `firemesh ca rotate"
              + " activate` is allowed (default: the SVID lifetime plus a minute, by which every"
              + " workload still alive has renewed and so holds it; shorter is safe when every"
              + " sidecar polls its bundle, every 15 s).")
  String caBundlePropagation;

  @Option(
      names = "--scrape-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description =
          "How often the telemetry collector scrapes every connected sidecar's metrics, 1s to 10s"
              + " (default: ${DEFAULT-VALUE}).")
  String scrapeInterval;

  @Option(
      names = "--trace-memory",
      paramLabel = "SIZE",
      defaultValue = "64MiB",
      description =
          "Memory the trace store may use for recent traces (KiB, MiB, GiB); the oldest traces"
              + " go first (default: ${DEFAULT-VALUE}).")
  String traceMemory;

  @Option(
      names = "--rollup-retention",
      paramLabel = "DURATION",
      defaultValue = "14d",
      description =
          "How long the 10 s traffic rollups per edge stay in PostgreSQL, at least 1d; days (14d)"
              + " or hours (336h) (default: ${DEFAULT-VALUE}).")
  String rollupRetention;

  @Spec CommandSpec spec;

  /** The telemetry options, or a message saying which option is wrong. */
  private TelemetryOptions telemetryOptions() {
    Duration interval = SidecarOptions.duration("--scrape-interval", scrapeInterval);
    long memory;
    try {
      memory = TelemetryOptions.parseSize(traceMemory);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--trace-memory: " + e.getMessage());
    }
    String days = rollupRetention.strip();
    Duration retention =
        days.matches("[0-9]{1,5}d")
            ? Duration.ofDays(Long.parseLong(days.substring(0, days.length() - 1)))
            : SidecarOptions.duration("--rollup-retention", rollupRetention);
    try {
      return new TelemetryOptions(interval, memory, retention);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /** The CA options, or a message saying which option is wrong. */
  private CertificateAuthority.Options caOptions() {
    List<Path> imported =
        Stream.of(caRootCert, caIntermediateCert, caIntermediateKey)
            .filter(Objects::nonNull)
            .toList();
    if (!imported.isEmpty() && imported.size() != 3) {
      throw new BadInputException(
          "--ca-root-cert, --ca-intermediate-cert and --ca-intermediate-key go together");
    }
    Optional<CertificateAuthority.Import> files =
        imported.isEmpty()
            ? Optional.empty()
            : Optional.of(
                new CertificateAuthority.Import(caRootCert, caIntermediateCert, caIntermediateKey));
    try {
      return CertificateAuthority.Options.defaults()
          .withTrustDomain(trustDomain)
          .withSvidTtl(SidecarOptions.duration("--svid-ttl", svidTtl))
          .withWarnBefore(SidecarOptions.duration("--ca-warn-before", caWarnBefore))
          .withBundlePropagation(
              Optional.ofNullable(caBundlePropagation)
                  .map(d -> SidecarOptions.duration("--ca-bundle-propagation", d)))
          .withImport(files);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /** The message of every cause, so "address already in use" is not hidden three levels down. */
  static String causes(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !text.toString().contains(message)) {
        text.append(": ").append(message);
      }
    }
    return text.toString();
  }

  @Override
  public Integer call() throws InterruptedException {
    Path dir = dataDir != null ? dataDir : Connection.defaultDataDir();
    ControlPlane.Options options;
    try {
      options =
          ControlPlane.Options.defaults(dir)
              .withPorts(adminPort, xdsPort)
              .withStore(Optional.ofNullable(store))
              .withCa(caOptions())
              .withCaKekFile(Optional.ofNullable(caKekFile))
              .withAdminHostnames(adminHostnames)
              .withTelemetry(telemetryOptions());
    } catch (BadInputException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return 2;
    }
    ControlPlane plane;
    try {
      plane = ControlPlane.start(options);
    } catch (PortInUseException e) {
      String option = e.listener().startsWith("xDS") ? "--xds-port" : "--admin-port";
      spec.commandLine()
          .getErr()
          .println(
              "error: the control plane did not start: "
                  + e.getMessage()
                  + " (another control plane?); choose another with "
                  + option
                  + ", or 0 for a free one");
      return 1;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("error: the control plane did not start: " + causes(e));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  plane.close();
                  stopped.countDown();
                }));
    var out = spec.commandLine().getOut();
    out.println("FireMesh control plane " + ControlPlane.VERSION);
    out.println(
        "  admin API  "
            + plane.adminUrl()
            + "   (token in "
            + dir.resolve(ControlPlaneFiles.TOKEN)
            + ")");
    out.println("  xDS (ADS)  127.0.0.1:" + plane.xdsPort());
    out.println("  store      " + plane.storeDescription());
    out.println(
        "  CA         trust domain "
            + plane.certificateAuthority().trustDomain()
            + ", trust bundle in "
            + plane.trustBundleFile());
    out.flush();
    stopped.await();
    return 0;
  }
}
