package dev.firemesh.cli;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.Arrays;

/**
 * Runs another class's {@code main} in a process that must not outlive its parent: {@code java
 * dev.firemesh.cli.Tether MAIN-CLASS ARGS...}. The parent keeps the child's standard input open (a
 * pipe); when the parent dies, however it dies (SIGKILL included), the kernel closes the pipe, the
 * child reads end-of-file and stops as it would on SIGTERM (shutdown hooks run), within {@link
 * #EXIT_BOUND} at most. (A parent's {@code Process.destroy()} closes the pipe as well as sending
 * SIGTERM; both mean stop.)
 *
 * <p>A pipe beats polling the parent's PID: it needs no interval, cannot be fooled by PID reuse,
 * and works the same when the child was reparented.
 */
public final class Tether {
  /** How long the shutdown hooks may take once the parent is gone, before the process halts. */
  static final Duration EXIT_BOUND = Duration.ofSeconds(10);

  private Tether() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: java dev.firemesh.cli.Tether MAIN-CLASS [ARGS...]");
      System.exit(2);
    }
    Thread.ofPlatform().daemon().name("tether").start(Tether::watchParent);
    MethodHandle main =
        MethodHandles.publicLookup()
            .findStatic(
                Class.forName(args[0]), "main", MethodType.methodType(void.class, String[].class));
    main.invokeExact(Arrays.copyOfRange(args, 1, args.length));
  }

  private static void watchParent() {
    try {
      while (System.in.read() != -1) {
        // the parent writes nothing; anything it does write is ignored
      }
    } catch (IOException e) {
      // a broken pipe means the same as end-of-file: the parent is gone
    }
    System.err.println("tether: standard input closed (the parent stopped or died); stopping");
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                Thread.sleep(EXIT_BOUND);
              } catch (InterruptedException e) {
                // halt anyway
              }
              Runtime.getRuntime().halt(1);
            });
    System.exit(0);
  }
}
