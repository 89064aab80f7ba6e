package dev.firemesh.cli.supervise;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run and how to look after it.
 *
 * @param command the app's command line, run without a shell
 * @param environment added to the supervisor's own environment for the app
 * @param healthInterval between health checks while the app serves
 * @param unhealthyThreshold failed health checks in a row that get the app restarted
 * @param readyTimeout how long a started app may take to listen on its ports and pass its health
 *     check before it counts as failed
 * @param stopGrace between SIGTERM and SIGKILL when the app is stopped
 */
public record SupervisorConfig(
    List<String> command,
    Map<String, String> environment,
    RestartPolicy restarts,
    Duration healthInterval,
    int unhealthyThreshold,
    Duration readyTimeout,
    Duration stopGrace) {
  public SupervisorConfig {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
    Objects.requireNonNull(restarts, "restarts");
    if (command.isEmpty()) {
      throw new IllegalArgumentException("the app's command is empty");
    }
    if (!healthInterval.isPositive() || !readyTimeout.isPositive() || stopGrace.isNegative()) {
      throw new IllegalArgumentException(
          "the health interval and ready timeout must be positive, the stop grace not negative");
    }
    if (unhealthyThreshold < 1) {
      throw new IllegalArgumentException(
          "the unhealthy threshold must be at least 1: " + unhealthyThreshold);
    }
  }

  /** The same, with {@code environment} for the app. */
  public SupervisorConfig withEnvironment(Map<String, String> environment) {
    return new SupervisorConfig(
        command,
        environment,
        restarts,
        healthInterval,
        unhealthyThreshold,
        readyTimeout,
        stopGrace);
  }
}
