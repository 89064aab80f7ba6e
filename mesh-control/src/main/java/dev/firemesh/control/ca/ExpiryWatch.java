package dev.firemesh.control.ca;

import dev.firemesh.store.ca.CaCertificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns before a CA certificate expires: once at start and then daily, a WARN line per certificate
 * whose end is near. "Near" is whichever comes first of {@code warnBefore} (30 days by default)
 * before the end, and the last 20% of its lifetime: a one-year intermediate warns 73 days ahead, a
 * short-lived one still warns in time.
 */
public final class ExpiryWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ExpiryWatch.class);
  public static final Duration DEFAULT_WARN_BEFORE = Duration.ofDays(30);
  public static final Duration INTERVAL = Duration.ofDays(1);

  /** A CA certificate's standing, for {@code GET /v1/ca} and {@code firemesh ca status}. */
  public record Standing(CaCertificate certificate, long secondsLeft, Optional<String> warning) {
    public long daysLeft() {
      return Math.floorDiv(secondsLeft, 86_400);
    }
  }

  private final ScheduledExecutorService timer;

  private ExpiryWatch(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Checks now, then every {@link #INTERVAL}, on a thread of its own. */
  public static ExpiryWatch start(
      Supplier<List<CaCertificate>> certificates, Duration warnBefore, Supplier<Instant> clock) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("ca-expiry-watch").factory());
    timer.scheduleAtFixedRate(
        () -> check(certificates.get(), warnBefore, clock.get()),
        0,
        INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return new ExpiryWatch(timer);
  }

  /** Logs a WARN line for each certificate near its end; returns every standing. */
  static List<Standing> check(List<CaCertificate> certificates, Duration warnBefore, Instant now) {
    List<Standing> standings = standings(certificates, warnBefore, now);
    for (Standing standing : standings) {
      standing
          .warning()
          .ifPresent(
              w ->
                  log.warn(
                      "CA certificate expiring: role={} subject=\"{}\" fingerprint={} notAfter={}:"
                          + " {}",
                      standing.certificate().role().name().toLowerCase(java.util.Locale.ROOT),
                      standing.certificate().subject(),
                      standing.certificate().fingerprint(),
                      standing.certificate().notAfter(),
                      w));
    }
    return standings;
  }

  public static List<Standing> standings(
      List<CaCertificate> certificates, Duration warnBefore, Instant now) {
    return certificates.stream().map(c -> standing(c, warnBefore, now)).toList();
  }

  static Standing standing(CaCertificate certificate, Duration warnBefore, Instant now) {
    Duration left = Duration.between(now, certificate.notAfter());
    Duration lifetime = Duration.between(certificate.notBefore(), certificate.notAfter());
    Duration fifth = lifetime.dividedBy(5);
    Duration window = fifth.compareTo(warnBefore) > 0 ? fifth : warnBefore;
    Optional<String> warning;
    if (certificate.state() == CaCertificate.State.RETIRED) {
      warning = Optional.empty();
    } else if (left.isNegative() || left.isZero()) {
      warning = Optional.of("expired " + days(left.negated()) + " ago");
    } else if (left.compareTo(window) <= 0) {
      warning =
          Optional.of(
              "expires in "
                  + days(left)
                  + " (warning from "
                  + days(window)
                  + " before its end); rotate it");
    } else {
      warning = Optional.empty();
    }
    return new Standing(certificate, left.toSeconds(), warning);
  }

  private static String days(Duration d) {
    long days = d.toDays();
    return days >= 1 ? days + (days == 1 ? " day" : " days") : d.toHours() + " h";
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
