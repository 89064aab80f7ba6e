package dev.firemesh.traffic.config;

import java.util.Objects;

/**
 * One upstream address with its locality, balancing weight (at least 1) and priority (0 is the most
 * preferred). A cluster sends only to the endpoints of its lowest priority level that has any; the
 * control plane ranks the levels by proximity to the caller (same zone, same region, anywhere).
 */
public record Endpoint(
    String address, int port, String region, String zone, int weight, int priority) {
  public Endpoint {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(zone, "zone");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port out of range 1-65535: " + port);
    }
    if (weight < 1) {
      throw new IllegalArgumentException("endpoint weight must be at least 1: " + weight);
    }
    if (priority < 0) {
      throw new IllegalArgumentException("endpoint priority must not be negative: " + priority);
    }
  }

  /** An endpoint at priority 0, the one level of a cluster that does not rank by locality. */
  public Endpoint(String address, int port, String region, String zone, int weight) {
    this(address, port, region, zone, weight, 0);
  }

  public String hostPort() {
    return address + ":" + port;
  }
}
