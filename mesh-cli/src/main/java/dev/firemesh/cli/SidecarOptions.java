package dev.firemesh.cli;

import dev.firemesh.api.codec.Durations;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.proxy.Sidecar;
import dev.firemesh.proxy.tcp.TcpUpstream;
import dev.firemesh.workload.admin.PlainJson;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a sidecar, shared by {@code firemesh proxy} and {@code firemesh run}: which
 * instance it serves, its listeners, the control plane, the lease and the drain. Values are checked
 * when read, so a bad one is a {@link BadInputException} (exit code 2) naming the option.
 */
final class SidecarOptions {
  @Mixin Connection connection;

  @Mixin AccessLogOptions accessLog;

  @Mixin TracingOptions tracing;

  @Option(
      names = "--service",
      required = true,
      paramLabel = "NAME",
      description = "The service this instance belongs to.")
  String service;

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description = "Unique instance id (default: <service>-<host>-<pid>).")
  String instanceId;

  @Option(
      names = "--app-port",
      paramLabel = "PORT|NAME=PORT",
      description =
          "Where the local app listens on 127.0.0.1. PORT is its HTTP port; NAME=PORT is its"
              + " port for the service port NAME. Repeatable: --app-port http=8080 --app-port"
              + " fix=9878 sends HTTP to 8080 and tunnels to the tcp port fix to 9878.")
  List<String> appPorts = new ArrayList<>();

  @Option(
      names = "--app-registers",
      description =
          "The app registers the instance itself (a FireMesh chassis service, at this sidecar's"
              + " inbound address): the sidecar never registers it, and does not wait for the app"
              + " to listen. It still waits for its first configuration before it is ready, and"
              + " drains on SIGTERM.")
  boolean appRegisters;

  @Option(
      names = "--upstream",
      paramLabel = "SERVICE[:PORT-NAME]=LOCAL-PORT",
      description =
          "Listen on 127.0.0.1:LOCAL-PORT (0 picks one) and tunnel each connection to an"
              + " instance of SERVICE's tcp port PORT-NAME (default: its only tcp port)."
              + " Repeatable.")
  List<String> upstreams = new ArrayList<>();

  @Option(
      names = "--drain-delay",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, after deregistering: keep serving this long, telling callers to go"
              + " elsewhere, while their sidecars learn the instance is gone"
              + " (default: ${DEFAULT-VALUE}).")
  String drainDelay;

  @Option(
      names = "--drain-timeout",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description =
          "Then stop accepting and wait at most this long for requests and tunnels in flight"
              + " (default: ${DEFAULT-VALUE}).")
  String drainTimeout;

  @Option(
      names = "--outbound-port",
      defaultValue = "15001",
      paramLabel = "PORT",
      description = "The local app's proxy port (default: ${DEFAULT-VALUE}; 0 picks one).")
  int outboundPort;

  @Option(
      names = "--inbound-port",
      defaultValue = "15006",
      paramLabel = "PORT",
      description = "Where peers' sidecars connect (default: ${DEFAULT-VALUE}; 0 picks one).")
  int inboundPort;

  @Option(
      names = "--admin-port",
      defaultValue = "15000",
      paramLabel = "PORT",
      description = "The sidecar's admin page (default: ${DEFAULT-VALUE}; 0 picks one).")
  int adminPort;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "Instance labels: version=v2, region=eu-west, zone=a. Repeatable.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--env",
      defaultValue = "default",
      paramLabel = "NAME",
      description =
          "The environment this instance runs in; with --service it makes the workload's"
              + " identity spiffe://<trust-domain>/env/<env>/svc/<service>"
              + " (default: ${DEFAULT-VALUE}).")
  String env;

  @Option(
      names = "--join-token-file",
      paramLabel = "FILE",
      description =
          "A join token from `firemesh token create` (or set FIREMESH_JOIN_TOKEN): the sidecar"
              + " gets a certificate for its identity with it, proves who it is to the control"
              + " plane and its peers (mTLS) and renews the certificate before it expires. Without"
              + " one it asks for a one-use token on the operator credentials it runs with (the"
              + " data directory's admin token, or --client-cert), and fails if it has none.")
  Path joinTokenFile;

  @Option(
      names = "--xds",
      paramLabel = "HOST:PORT",
      description = "The control plane's xDS address (default: from <data-dir>/control.json).")
  String xds;

  @Option(
      names = "--lease-ttl",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description = "Registration lease, renewed every third of it (default: ${DEFAULT-VALUE}).")
  String leaseTtl;

  @Option(
      names = "--ready-file",
      paramLabel = "FILE",
      description =
          "Write the sidecar's bound addresses here as JSON once it serves (for scripts and tests).")
  Path readyFile;

  Duration leaseTtl() {
    return Durations.parse(leaseTtl)
        .filter(d -> d.toSeconds() >= 1)
        .orElseThrow(
            () ->
                new BadInputException(
                    "--lease-ttl: expected a duration of at least 1s, got \"" + leaseTtl + "\""));
  }

  /**
   * The join token from {@code --join-token-file} or {@code FIREMESH_JOIN_TOKEN}, if any. Never a
   * command-line argument: other local users can read a process's arguments.
   */
  Optional<String> joinToken() {
    return joinToken(joinTokenFile);
  }

  /** {@link #joinToken()} for any command that takes {@code --join-token-file}. */
  static Optional<String> joinToken(Path file) {
    if (file != null) {
      try {
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty()) {
          throw new BadInputException("--join-token-file: " + file + " is empty");
        }
        return Optional.of(token);
      } catch (IOException e) {
        throw new BadInputException("--join-token-file: cannot read " + file + ": " + e);
      }
    }
    String fromEnvironment = System.getenv("FIREMESH_JOIN_TOKEN");
    return fromEnvironment == null || fromEnvironment.isBlank()
        ? Optional.empty()
        : Optional.of(fromEnvironment.strip());
  }

  Duration drainDelay() {
    return duration("--drain-delay", drainDelay);
  }

  Duration drainTimeout() {
    return duration("--drain-timeout", drainTimeout);
  }

  String instanceId() throws UnknownHostException {
    return instanceId != null
        ? instanceId
        : service
            + "-"
            + InetAddress.getLocalHost().getHostName()
            + "-"
            + ProcessHandle.current().pid();
  }

  /**
   * The sidecar these options describe, not started. {@code --app-port}, {@code --upstream}, the
   * access log's and the sampler's options are checked here.
   */
  Sidecar.Builder sidecar() {
    Sidecar.Builder builder =
        Sidecar.builder()
            .service(service)
            .outboundPort(outboundPort)
            .inboundPort(inboundPort)
            .adminPort(adminPort);
    appPorts(builder);
    accessLog.settings().ifPresent(builder::accessLog);
    tracing.sampler(); // checked now, before enrolment spends a join token
    for (String upstream : upstreams) {
      try {
        builder.tcpUpstream(TcpUpstream.parse(upstream));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--upstream: " + e.getMessage());
      }
    }
    return builder;
  }

  /**
   * The app's ports on 127.0.0.1, as {@code --app-port} gives them (checked by {@link #sidecar}).
   */
  List<Integer> appPortNumbers() {
    return appPorts.stream().map(p -> Integer.parseInt(p.substring(p.indexOf('=') + 1))).toList();
  }

  /** The app's HTTP port: the bare {@code --app-port}, else none (0). */
  int appHttpPort() {
    return appPorts.stream()
        .filter(p -> !p.contains("="))
        .mapToInt(Integer::parseInt)
        .findFirst()
        .orElse(0);
  }

  String appPortsText() {
    return appPorts.stream()
        .map(p -> p.contains("=") ? p.replace("=", "=127.0.0.1:") : "127.0.0.1:" + p)
        .collect(Collectors.joining(", "));
  }

  String xdsAddress() {
    return xdsAddress(connection, xds);
  }

  /** {@code given}, else the xDS address the control plane wrote into its data directory. */
  static String xdsAddress(Connection connection, String given) {
    if (given != null) {
      return given;
    }
    Path info = connection.dataDir().resolve(ControlPlaneFiles.ADDRESSES);
    try {
      if (PlainJson.member(PlainJson.parse(Files.readString(info, StandardCharsets.UTF_8)), "xds")
          instanceof String address) {
        return address;
      }
    } catch (IOException | IllegalArgumentException e) {
      // fall through to the default
    }
    return "127.0.0.1:" + ControlPlaneFiles.DEFAULT_XDS_PORT;
  }

  static Duration duration(String option, String text) {
    return Durations.parse(text)
        .orElseThrow(
            () ->
                new BadInputException(
                    option + ": expected a duration such as 2s or 500ms, got \"" + text + "\""));
  }

  /** {@code --app-port}: at most one bare PORT (the HTTP port), any number of NAME=PORT. */
  private void appPorts(Sidecar.Builder builder) {
    boolean bare = false;
    for (String text : appPorts) {
      int equals = text.indexOf('=');
      String name = equals < 0 ? "" : text.substring(0, equals);
      int port;
      try {
        port = Integer.parseInt(text.substring(equals + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535 || (equals >= 0 && name.isEmpty())) {
        throw new BadInputException(
            "--app-port: expected PORT or NAME=PORT (1-65535), got \"" + text + "\"");
      }
      if (name.isEmpty()) {
        if (bare) {
          throw new BadInputException(
              "--app-port: one unnamed PORT at most (the HTTP port); name the others NAME=PORT");
        }
        bare = true;
        builder.localAppPort(port);
      } else {
        builder.appPort(name, port);
      }
    }
  }
}
