package dev.firemesh.xds.client;

import java.util.List;
import java.util.Optional;

/**
 * What an {@link AdsClient} can tell an admin page.
 *
 * @param connected whether a stream to the control plane is up and the control plane has answered
 *     on it (a control plane that is up but has nothing to serve yet does not count)
 * @param server the control plane's address, {@code host:port}
 * @param configVersion the xDS versions of the configuration in force, empty before the first
 * @param recentRejections the latest NACKs, newest last
 */
public record AdsStatus(
    boolean connected, String server, String configVersion, List<Rejection> recentRejections) {
  public AdsStatus {
    recentRejections = List.copyOf(recentRejections);
  }

  public Optional<Rejection> lastRejection() {
    return recentRejections.isEmpty() ? Optional.empty() : Optional.of(recentRejections.getLast());
  }
}
