package dev.firemesh.xds.server;

import java.util.List;
import java.util.Optional;

/**
 * What one node holds of one resource type: the version last sent, the version last acknowledged
 * (empty until the first ACK) and the most recent rejections, newest last.
 */
public record TypeStatus(String sentVersion, String ackedVersion, List<Nack> recentNacks) {
  public static final TypeStatus NONE = new TypeStatus("", "", List.of());

  public TypeStatus {
    recentNacks = List.copyOf(recentNacks);
  }

  public Optional<Nack> lastNack() {
    return recentNacks.isEmpty() ? Optional.empty() : Optional.of(recentNacks.getLast());
  }

  /** True once the node has acknowledged what it was last sent. */
  public boolean inSync() {
    return !sentVersion.isEmpty() && sentVersion.equals(ackedVersion);
  }
}
