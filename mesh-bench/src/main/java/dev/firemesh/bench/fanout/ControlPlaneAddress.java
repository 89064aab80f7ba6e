package dev.firemesh.bench.fanout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a control plane is and how to talk to it: the admin API's base URL, bearer token and the
 * roots its HTTPS certificate chains to, and the xDS (ADS) address.
 *
 * @param caBundle PEM roots to trust for an {@code https://} admin URL (the control plane writes
 *     them to {@code <data-dir>/trust-bundle.pem}); empty for a plain {@code http://} one
 */
public record ControlPlaneAddress(
    URI admin, String token, String xdsHost, int xdsPort, Optional<Path> caBundle) {
  public ControlPlaneAddress {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(xdsHost, "xdsHost");
    Objects.requireNonNull(caBundle, "caBundle");
    if (xdsPort < 1 || xdsPort > 65535) {
      throw new IllegalArgumentException("an xDS port is from 1 to 65535, got " + xdsPort);
    }
  }

  /**
   * Reads what a running {@code firemesh control --data-dir DIR} writes for the CLI: {@code
   * control.json} ({@code admin} URL, {@code xds} host:port) and {@code admin.token}.
   *
   * @throws IOException if either file is missing or unreadable
   */
  public static ControlPlaneAddress fromDataDir(Path dataDir) throws IOException {
    Path addresses = dataDir.resolve("control.json");
    JsonNode info;
    try {
      info = new ObjectMapper().readTree(addresses.toFile());
    } catch (IOException e) {
      throw new IOException(
          "cannot read "
              + addresses
              + " (is `firemesh control --data-dir "
              + dataDir
              + "` running?): "
              + e.getMessage(),
          e);
    }
    if (info == null || !info.hasNonNull("admin") || !info.hasNonNull("xds")) {
      throw new IOException(addresses + " does not name the admin and xds addresses");
    }
    String[] xds = hostPort(info.get("xds").asText(), addresses.toString());
    return new ControlPlaneAddress(
        URI.create(info.get("admin").asText()),
        readToken(dataDir.resolve("admin.token")),
        xds[0],
        Integer.parseInt(xds[1]),
        Optional.of(dataDir.resolve("trust-bundle.pem")));
  }

  /**
   * From explicit addresses: {@code xds} as host:port, the token from a file, the admin API's roots
   * from {@code caBundle}.
   */
  public static ControlPlaneAddress of(
      URI admin, Path tokenFile, String xds, Optional<Path> caBundle) throws IOException {
    String[] parts = hostPort(xds, "--xds");
    return new ControlPlaneAddress(
        admin, readToken(tokenFile), parts[0], Integer.parseInt(parts[1]), caBundle);
  }

  static String readToken(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
    if (token.isEmpty()) {
      throw new IOException("the token file " + file + " is empty");
    }
    return token;
  }

  private static String[] hostPort(String value, String where) throws IOException {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1 || !value.substring(colon + 1).matches("\\d+")) {
      throw new IOException(where + ": expected host:port, got \"" + value + "\"");
    }
    return new String[] {value.substring(0, colon), value.substring(colon + 1)};
  }

  @Override
  public String toString() {
    // The token stays out of logs and reports.
    return "admin " + admin + ", xDS " + xdsHost + ":" + xdsPort;
  }
}
