package dev.firemesh.proxy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream on a raw server socket whose every connection follows a script, for behaviour a
 * well-behaved server never shows: closing as a request arrives, resetting, malformed responses.
 */
public final class ScriptedUpstream implements AutoCloseable {

  /** What to do with the n-th accepted connection (from 0); the socket is closed afterwards. */
  public interface Script {
    void run(int connection, Socket socket) throws Exception;
  }

  /** A request as read off the wire. */
  public record Request(String head, byte[] body) {
    public String requestLine() {
      return head.substring(0, head.indexOf("\r\n"));
    }

    public String header(String name) {
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private final ServerSocket server;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  public ScriptedUpstream(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (!server.isClosed()) {
                    try {
                      Socket socket = server.accept();
                      sockets.add(socket);
                      int n = accepted.getAndIncrement();
                      Thread.ofVirtual().start(() -> runScript(script, n, socket));
                    } catch (IOException e) {
                      return; // closed
                    }
                  }
                });
  }

  private static void runScript(Script script, int n, Socket socket) {
    try (socket) {
      socket.setSoTimeout(15_000);
      script.run(n, socket);
    } catch (Exception e) {
      // the script's connection ends here; the test sees the effect through the proxy
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public int accepted() {
    return accepted.get();
  }

  /** Reads one request (head, and a Content-Length body); empty head at end of stream. */
  public static Request readRequest(InputStream in) throws IOException {
    String head = readHead(in);
    if (head.isEmpty()) {
      return new Request("", new byte[0]);
    }
    Request headOnly = new Request(head, new byte[0]);
    String length = headOnly.header("content-length");
    byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
    return new Request(head, body);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return "";
  }

  public static void write(Socket socket, String response) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(response.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** A 200 with a plain body, keep-alive. */
  public static String ok(String body) {
    return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
        + body.getBytes(StandardCharsets.ISO_8859_1).length
        + "\r\n\r\n"
        + body;
  }

  /** Closes with a reset (RST), as a crashed or impatient server does. */
  public static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  /** Answers every request on the connection with {@code prefix + method + ' ' + body}. */
  public static void serveEchoes(Socket socket, String prefix) throws IOException {
    InputStream in = socket.getInputStream();
    while (true) {
      Request request = readRequest(in);
      if (request.head().isEmpty()) {
        return;
      }
      String method = request.requestLine().split(" ")[0].toUpperCase(Locale.ROOT);
      write(
          socket,
          ok(prefix + method + " " + new String(request.body(), StandardCharsets.ISO_8859_1)));
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    acceptor.interrupt();
  }
}
