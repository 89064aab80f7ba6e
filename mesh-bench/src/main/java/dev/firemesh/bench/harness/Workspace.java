package dev.firemesh.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The run's scratch folder and the processes it started. Every process is started here, logs to a
 * file here, and is stopped by {@link #close()} in the reverse order of starting, by PID.
 */
final class Workspace implements AutoCloseable {
  private final Path dir;
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

  Workspace(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  Path write(String name, String content) {
    try {
      Path file = dir.resolve(name);
      Files.writeString(file, content);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts {@code command} with its output in {@code <name>.log}; stopped when this closes. */
  Process start(String name, List<String> command, Map<String, String> environment) {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    try {
      Process process = builder.start();
      toClose.push(() -> stop(process));
      return process;
    } catch (IOException e) {
      throw new HarnessException("cannot start " + name + " (" + command.getFirst() + ")", e);
    }
  }

  /** Runs {@code command} to completion and returns its exit code; output in the log. */
  int run(String name, List<String> command, Map<String, String> environment, Duration limit) {
    Process process = start(name, command, environment);
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        stop(process);
        throw new HarnessException(name + " did not finish within " + limit + ": " + tail(name));
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HarnessException("interrupted while " + name + " ran", e);
    }
  }

  /** Closes {@code resource} with the processes, in reverse order of registration. */
  void onClose(AutoCloseable resource) {
    toClose.push(resource);
  }

  /** The last lines of a process's log, for error messages. */
  String tail(String name) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** A port nobody listens on now (a race with other processes, acceptable on a test machine). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code address} accepts TCP connections, or {@code process} dies. */
  void awaitListening(String name, Process process, InetSocketAddress address, Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(address, 200);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) {
          throw new HarnessException(
              name + " exited with " + process.exitValue() + ": " + tail(name));
        }
        if (Instant.now().isAfter(deadline)) {
          throw new HarnessException(name + " not listening on " + address + " after " + limit);
        }
        pause(Duration.ofMillis(50));
      }
    }
  }

  /**
   * Waits until an HTTP/1.1 POST to {@code address} with {@code host} is answered 200: the whole
   * path (proxies, discovery, upstream) is ready.
   */
  void awaitRouting(String name, InetSocketAddress address, String host, Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    String last = "";
    while (Instant.now().isBefore(deadline)) {
      last = probe(address, host);
      if (last.startsWith("HTTP/1.1 200")) {
        return;
      }
      pause(Duration.ofMillis(100));
    }
    throw new HarnessException(
        name + " did not route to the upstream within " + limit + ": " + last);
  }

  private static String probe(InetSocketAddress address, String host) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST / HTTP/1.1\r\nHost: "
                  + host
                  + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder status = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        status.append((char) c);
      }
      return status.toString();
    } catch (IOException e) {
      return e.toString();
    }
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HarnessException("interrupted", e);
    }
  }

  private static void stop(Process process) throws InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy(); // SIGTERM: sidecars drain, nginx and HAProxy stop
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    RuntimeException first = null;
    while (!toClose.isEmpty()) {
      try {
        toClose.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = new HarnessException("cleanup failed", e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
