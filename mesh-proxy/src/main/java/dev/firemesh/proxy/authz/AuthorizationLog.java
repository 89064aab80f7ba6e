package dev.firemesh.proxy.authz;

import dev.firemesh.traffic.authz.Caller;
import dev.firemesh.traffic.authz.Decision;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Denials, and what dry-run policies would have denied, one line each as {@code key=value}: who
 * called, what, and which policy and rule decided. At most {@link #LINES_PER_SECOND} lines a second
 * are written; the rest are counted and the next line written says how many were suppressed, so a
 * flood of refused calls costs a counter increment each, not a log line.
 *
 * <pre>
 * authz denied caller=spiffe://prod.bank/env/prod/svc/risk method=DELETE path=/orders/7 port=http policy=orders-from-gateway decided_by="default deny" suppressed=0
 * authz dry-run deny caller="plaintext peer" method=GET path=/admin port=http policy=no-admin decided_by="no-admin rule 0" suppressed=0
 * </pre>
 */
public final class AuthorizationLog {
  static final int LINES_PER_SECOND = 20;
  private static final long SECOND = 1_000_000_000L;
  private static final int MAX_PATH = 256;
  private static final Logger log = LoggerFactory.getLogger("dev.firemesh.proxy.authz");

  private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
  private final AtomicLong linesInWindow = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  /** A call denied. */
  public void denied(Caller caller, String method, String path, String port, Decision decision) {
    write(
        Level.WARN, "denied", caller, method, path, port, decision.policy(), decision.decidedBy());
  }

  /** Calls allowed that dry-run policies would have denied. */
  public void dryRunDenied(
      Caller caller, String method, String path, String port, Decision decision) {
    for (Decision.DryRunDenial denial : decision.dryRunDenials()) {
      write(
          Level.INFO,
          "dry-run deny",
          caller,
          method,
          path,
          port,
          denial.policy(),
          denial.decidedBy());
    }
  }

  private void write(
      Level level,
      String what,
      Caller caller,
      String method,
      String path,
      String port,
      String policy,
      String decidedBy) {
    if (admit()) {
      log.atLevel(level)
          .log(
              "authz {} caller={} method={} path={} port={} policy={} decided_by=\"{}\""
                  + " suppressed={}",
              what,
              quoted(caller.describe()),
              method.isEmpty() ? "-" : method,
              clip(path),
              port.isEmpty() ? "-" : port,
              policy,
              decidedBy,
              suppressed.getAndSet(0));
    }
  }

  /** Lines suppressed since the last line written. */
  long suppressed() {
    return suppressed.get();
  }

  private boolean admit() {
    long now = System.nanoTime();
    long start = windowStart.get();
    if (now - start >= SECOND && windowStart.compareAndSet(start, now)) {
      linesInWindow.set(0);
    }
    if (linesInWindow.incrementAndGet() <= LINES_PER_SECOND) {
      return true;
    }
    suppressed.incrementAndGet();
    return false;
  }

  /** Paths are the caller's: bounded, so one line cannot be made arbitrarily long. */
  private static String clip(String path) {
    if (path.isEmpty()) {
      return "-";
    }
    return path.length() <= MAX_PATH ? path : path.substring(0, MAX_PATH) + "...";
  }

  private static String quoted(String text) {
    return text.indexOf(' ') < 0 ? text : "\"" + text + "\"";
  }
}
