package dev.firemesh.cli.supervise;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The supervised app as it stands, published by the supervisor after every change and read by the
 * admin port ({@code /app}, the {@code firemesh_proxy_app_*} metrics).
 *
 * @param pid while a process runs
 * @param starts processes started so far
 * @param restarts restarts after a failure so far (the first start is not one)
 * @param consecutiveFailures failed health checks in a row now
 * @param healthCheckFailures failed health checks so far
 * @param registered whether the instance is an endpoint now
 * @param nextStart when the app starts again, while it waits out a backoff
 */
public record AppStatus(
    State state,
    OptionalLong pid,
    long starts,
    long restarts,
    int consecutiveFailures,
    long healthCheckFailures,
    boolean registered,
    Optional<Exit> lastExit,
    Optional<Instant> nextStart) {

  /** Where the app is in its life under the supervisor. */
  public enum State {
    /** The sidecar has no configuration yet; the app is held. */
    WAITING_FOR_SIDECAR,
    /** Started; not yet listening on every port or not yet healthy. */
    STARTING,
    /** Ready and an endpoint (when it has ports). */
    SERVING,
    /** Serving, but failing health checks (fewer in a row than the threshold). */
    UNHEALTHY,
    /** Down after a failure; starts again at {@code nextStart}. */
    BACKOFF,
    /** Being stopped because the supervisor was told to stop. */
    STOPPING,
    /** Stopped on request. */
    STOPPED,
    /** Exited 0 on its own. */
    FINISHED,
    /** Failed more often than the restart limit allows. */
    GAVE_UP;

    /** As shown on {@code /app}: {@code serving}, {@code gave-up}. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * How a process of the app ended.
   *
   * @param code its exit code (128 + N for signal N); -1 if it never started
   * @param reason in words: {@code exited with code 3}, {@code unhealthy: GET /health answered 500}
   */
  public record Exit(long pid, int code, String reason, Instant at) {}

  /** Before the app starts: the sidecar has no configuration yet. */
  public static AppStatus waiting() {
    return new AppStatus(
        State.WAITING_FOR_SIDECAR,
        OptionalLong.empty(),
        0,
        0,
        0,
        0,
        false,
        Optional.empty(),
        Optional.empty());
  }
}
