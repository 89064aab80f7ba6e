package dev.firemesh.traffic.config;

import java.util.Objects;

/** One upstream address with its locality and balancing weight (at least 1). */
public record Endpoint(String address, int port, String region, String zone, int weight) {
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
  }

  public String hostPort() {
    return address + ":" + port;
  }
}
