package dev.firemesh.chassis.config;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The configuration in force, as one immutable whole: what a reader gets from {@link
 * ServiceConfig#current()}, so that the value, its revision and its sources always belong to the
 * same revision.
 *
 * @param revision the control plane's store revision the value was computed at; 0 for defaults
 * @param value the bound record
 * @param sources per leaf path set by a {@code Config}, its name; paths not here are defaults
 * @param digest the document's SHA-256 (the xDS version), empty for defaults
 * @param appliedAt when this process put it in force
 */
public record ConfigRevision<T>(
    long revision,
    T value,
    Map<String, String> sources,
    ConfigOrigin origin,
    String digest,
    Instant appliedAt) {
  public ConfigRevision {
    Objects.requireNonNull(value, "value");
    sources = Map.copyOf(sources);
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(appliedAt, "appliedAt");
  }
}
