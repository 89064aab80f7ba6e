package dev.firemesh.cli.supervise;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks the local app whether it is up: every port accepts a TCP connection (an orchestrator's
 * socket probe), and, when a health path is given, {@code GET path} on its HTTP port answers
 * 200-399 in time (Kubernetes' HTTP probe). A plain socket speaks the HTTP/1.1 exchange: the JDK's
 * {@code HttpClient} would load TLS and the root certificates into the sidecar's small heap.
 */
public final class AppProbe {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  private static final int MAX_STATUS_LINE = 1024;
  private static final long MAX_DRAINED = 64 * 1024;

  private final List<Integer> ports;
  private final int httpPort;
  private final Optional<String> healthPath;
  private final Duration timeout;

  /**
   * @param ports every port the app must listen on (none: it serves nothing and is always up)
   * @param httpPort where {@code healthPath} is asked
   * @param timeout for the whole health exchange
   */
  public AppProbe(
      List<Integer> ports, int httpPort, Optional<String> healthPath, Duration timeout) {
    if (healthPath.isPresent() && (httpPort < 1 || !healthPath.get().startsWith("/"))) {
      throw new IllegalArgumentException(
          "a health path needs the app's HTTP port and must start with /: " + healthPath.get());
    }
    this.ports = List.copyOf(ports);
    this.httpPort = httpPort;
    this.healthPath = healthPath;
    this.timeout = timeout;
  }

  /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
  public static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
          (int) CONNECT_TIMEOUT.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The ports the app does not listen on yet. */
  List<Integer> closedPorts() {
    return ports.stream().filter(port -> !accepts(port)).toList();
  }

  boolean hasHealthCheck() {
    return healthPath.isPresent();
  }

  Optional<String> healthPath() {
    return healthPath;
  }

  /** The health check's verdict: empty if healthy, else why not. Always healthy without a path. */
  Optional<String> unhealthy() {
    if (healthPath.isEmpty()) {
      return Optional.empty();
    }
    String path = healthPath.get();
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort),
          (int) Math.min(timeout.toMillis(), CONNECT_TIMEOUT.toMillis()));
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + httpPort
                  + "\r\nUser-Agent: firemesh-run\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 4096);
      String statusLine = statusLine(in);
      // The rest is read too (Connection: close, so up to the end; 64 KiB at most): an app whose
      // answer is cut off mid-write would log a broken pipe for every check.
      byte[] discard = new byte[4096];
      for (long read = 0, n; read < MAX_DRAINED && (n = in.read(discard)) != -1; read += n) {
        // discarded
      }
      String[] parts = statusLine.split(" ", 3);
      int status = parts.length >= 2 && parts[0].startsWith("HTTP/") ? parse(parts[1]) : -1;
      if (status < 0) {
        return Optional.of("GET " + path + ": not an HTTP answer: " + statusLine);
      }
      return status >= 200 && status < 400
          ? Optional.empty()
          : Optional.of("GET " + path + " answered " + status);
    } catch (SocketTimeoutException e) {
      return Optional.of("GET " + path + ": no answer within " + timeout.toMillis() + "ms");
    } catch (IOException e) {
      return Optional.of("GET " + path + ": " + e.getMessage());
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) != -1 && b != '\n'; ) {
      if (line.length() >= MAX_STATUS_LINE) {
        break;
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static int parse(String status) {
    try {
      return Integer.parseInt(status);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
