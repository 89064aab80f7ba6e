package dev.firemesh.proxy.resilience;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream app with a set behaviour: answers every request with {@code status} after {@code
 * delayMillis}, with its name as the body, and remembers the deadline header each request brought.
 */
final class BehaviourApp implements AutoCloseable {
  private final HttpServer server;
  private final String name;
  private volatile int status;
  private volatile long delayMillis;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> deadlines = new CopyOnWriteArrayList<>();

  BehaviourApp(String name, int status, long delayMillis) throws IOException {
    this.name = name;
    this.status = status;
    this.delayMillis = delayMillis;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
          }
          requests.incrementAndGet();
          String deadline = exchange.getRequestHeaders().getFirst("x-firemesh-timeout-ms");
          deadlines.add(deadline == null ? "" : deadline);
          try {
            Thread.sleep(delayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
          try {
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
          } catch (IOException e) {
            // the sidecar gave up on this request and closed the connection: what a cut-off is
          }
          exchange.close();
        });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  int requests() {
    return requests.get();
  }

  List<String> deadlines() {
    return deadlines;
  }

  void behave(int status, long delayMillis) {
    this.status = status;
    this.delayMillis = delayMillis;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
