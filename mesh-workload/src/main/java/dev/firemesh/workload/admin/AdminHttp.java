package dev.firemesh.workload.admin;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Calls of the admin API as bytes: one blocking HTTP/1.1 exchange per call on a new connection
 * ({@code Connection: close}), the bearer token (if any) in the headers. The CLI's {@code
 * AdminClient} adds Jackson trees on top; a sidecar and a chassis service use it directly.
 *
 * <p>The control plane serves {@code https://} only; {@link ClientTls} layers TLS over the same
 * socket, trusting the mesh's roots alone. The JDK's {@code HttpClient} would do, but creating one
 * initialises the default {@code SSLContext}, which parses every root certificate of {@code
 * cacerts}: some 650 classes and half a MiB of heap in a sidecar that calls its control plane once
 * every few seconds. {@code http://} is still spoken, to plain servers (tests, stubs).
 */
public final class AdminHttp {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  private final URI base;
  private final Optional<String> token;
  private final Optional<ClientTls> tls;

  /** Plain HTTP, or HTTPS trusting {@code tls}; {@code token} for the bearer header, if any. */
  public AdminHttp(URI base, Optional<String> token, Optional<ClientTls> tls) {
    this.base = base;
    this.token = token;
    this.tls = tls;
    if ("https".equalsIgnoreCase(base.getScheme()) && tls.isEmpty()) {
      throw new IllegalArgumentException(
          base + " is HTTPS: say which roots to trust (the CLI reads <data-dir>/trust-bundle.pem)");
    }
  }

  /** Plain HTTP with a bearer token: for stubs and tests. */
  public AdminHttp(URI base, String token) {
    this(base, Optional.of(token), Optional.empty());
  }

  /**
   * What a workload reaches the control plane through before it has an identity: no bearer token (a
   * join token authenticates its enrolment), and for {@code https://} the roots in {@code
   * trustBundle} (PEM), which is not read for {@code http://}.
   *
   * @throws IOException if the bundle cannot be read
   * @throws IllegalArgumentException if the file is not PEM certificates, saying which
   */
  public static AdminHttp trusting(URI base, Path trustBundle) throws IOException {
    Optional<ClientTls> tls =
        "https".equalsIgnoreCase(base.getScheme())
            ? Optional.of(ClientTls.load(trustBundle, Optional.empty(), Optional.empty()))
            : Optional.empty();
    return new AdminHttp(base, Optional.empty(), tls);
  }

  public URI base() {
    return base;
  }

  /** One path segment, percent-encoded (spaces as %20). */
  public static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * @param body JSON, or null for none
   * @return the answer's body (2xx)
   * @throws AdminCallException if the control plane refused (its status and error) or could not be
   *     reached (status 0)
   */
  public byte[] call(String method, String path, byte[] body) {
    return call(method, path, body, token.map(t -> "Bearer " + t).orElse(null));
  }

  /**
   * The same, authenticated by {@code authorization} instead of the admin token: a workload proving
   * who it is with a join token or its current certificate. Null: no header (a client certificate
   * authenticates, or nothing does).
   */
  public byte[] call(String method, String path, byte[] body, String authorization) {
    Answer answer;
    try {
      URI target = base.resolve(path);
      answer = viaSocket(method, target, body, authorization);
    } catch (ConnectException e) {
      throw new AdminCallException(
          "cannot reach the control plane at "
              + base
              + " (is `firemesh control` running? --server sets the address)");
    } catch (SSLException e) {
      throw new AdminCallException(
          "TLS with the control plane at "
              + base
              + " failed: "
              + e.getMessage()
              + " (the CLI trusts <data-dir>/trust-bundle.pem, or --ca-bundle; a client"
              + " certificate must come from the mesh CA)");
    } catch (IOException e) {
      throw new AdminCallException("call to the control plane at " + base + " failed: " + e);
    }
    if (answer.status() / 100 != 2) {
      throw AdminCallException.refused(answer.status(), answer.body());
    }
    return answer.body();
  }

  private record Answer(int status, byte[] body) {}

  private Answer viaSocket(String method, URI target, byte[] body, String authorization)
      throws IOException {
    String host = target.getHost();
    if (host == null) {
      throw new IOException("no host in " + target);
    }
    boolean https = "https".equalsIgnoreCase(target.getScheme());
    int port = target.getPort() != -1 ? target.getPort() : https ? 443 : 80;
    StringBuilder head = new StringBuilder(256);
    String path =
        target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
    head.append(method).append(' ').append(path);
    if (target.getRawQuery() != null) {
      head.append('?').append(target.getRawQuery());
    }
    head.append(" HTTP/1.1\r\n");
    header(head, "Host", target.getPort() != -1 ? host + ":" + port : host);
    if (authorization != null) {
      header(head, "Authorization", authorization);
    }
    header(head, "Accept", "application/json");
    header(head, "Connection", "close");
    if (body != null) {
      header(head, "Content-Type", "application/json");
      header(head, "Content-Length", Integer.toString(body.length));
    }
    head.append("\r\n");
    String address = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), (int) CONNECT_TIMEOUT.toMillis());
      plain.setSoTimeout((int) ANSWER_TIMEOUT.toMillis());
      Socket socket = https ? tls.orElseThrow().wrap(plain, address, port) : plain;
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()), method);
    }
  }

  private static void header(StringBuilder head, String name, String value) {
    head.append(name).append(": ").append(value).append("\r\n");
  }

  /** The status line, the headers, and the body as its headers frame it. */
  private static Answer read(InputStream in, String method) throws IOException {
    int status;
    long length = -1;
    boolean chunked = false;
    do { // 1xx answers come before the final one
      String statusLine = line(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.1 answer: " + statusLine);
      }
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP/1.1 answer: " + statusLine);
      }
      for (String header = line(in); !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = header.substring(colon + 1).strip();
        if (name.equals("content-length")) {
          try {
            length = Long.parseLong(value);
          } catch (NumberFormatException e) {
            throw new IOException("malformed Content-Length: " + value);
          }
        } else if (name.equals("transfer-encoding")) {
          chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
        }
      }
    } while (status / 100 == 1);
    if (method.equals("HEAD") || status == 204 || status == 304) {
      return new Answer(status, new byte[0]);
    }
    if (chunked) {
      return new Answer(status, chunks(in));
    }
    if (length >= 0) {
      if (length > Integer.MAX_VALUE - 8) {
        throw new IOException("answer too large: " + length + " bytes");
      }
      byte[] bytes = in.readNBytes((int) length);
      if (bytes.length < length) {
        throw new EOFException(
            "the answer ended after " + bytes.length + " of " + length + " bytes");
      }
      return new Answer(status, bytes);
    }
    return new Answer(status, in.readAllBytes()); // framed by the end of the connection
  }

  private static byte[] chunks(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in);
      int semicolon = sizeLine.indexOf(';');
      int size;
      try {
        size =
            Integer.parseInt(
                (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("malformed chunk size: " + sizeLine);
      }
      if (size == 0) {
        while (!line(in).isEmpty()) {
          // trailers: none that matter here
        }
        return body.toByteArray();
      }
      byte[] chunk = in.readNBytes(size);
      if (chunk.length < size) {
        throw new EOFException("the answer ended inside a chunk");
      }
      body.write(chunk);
      line(in); // the CRLF after the chunk
    }
  }

  /** One line without its CRLF (or LF). */
  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    while (true) {
      int b = in.read();
      if (b == -1) {
        throw new EOFException("the control plane closed the connection mid-answer");
      }
      if (b == '\n') {
        int end = line.length();
        return end > 0 && line.charAt(end - 1) == '\r'
            ? line.substring(0, end - 1)
            : line.toString();
      }
      if (line.length() >= MAX_HEADER_BYTES) {
        throw new IOException("answer header too long");
      }
      line.append((char) b);
    }
  }
}
