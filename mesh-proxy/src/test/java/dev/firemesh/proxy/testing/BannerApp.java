package dev.firemesh.proxy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A server that speaks first, as a database or a FIX engine does: on accept it sends {@code
 * BANNER}, then echoes every byte it reads; when the client ends its side (half-close) it sends
 * {@code bye <bytes read>\n} and closes. Plain blocking sockets on an ephemeral loopback port.
 */
public final class BannerApp implements AutoCloseable {
  public static final String BANNER = "220 firemesh-test ready\r\n";

  private final ServerSocket server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  public BannerApp() throws IOException {
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    executor.execute(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        executor.execute(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void serve(Socket socket) {
    try (socket) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(BANNER.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        total += n;
      }
      out.write(("bye " + total + "\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
    } catch (IOException e) {
      // the client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    executor.shutdownNow();
  }
}
