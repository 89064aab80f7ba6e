package dev.firemesh.traffic.config;

import dev.firemesh.api.identity.SpiffeId;
import java.util.Objects;
import java.util.Optional;

/**
 * One upstream address with its locality, balancing weight (at least 1) and priority (0 is the most
 * preferred). A cluster sends only to the endpoints of its lowest priority level that has any; the
 * control plane ranks the levels by proximity to the caller (same zone, same region, anywhere).
 *
 * @param identity the SPIFFE ID the endpoint's certificate must name, as {@link SpiffeId} spells
 *     it; empty when the endpoint has none (it is then reached in plaintext)
 */
public record Endpoint(
    String address,
    int port,
    String region,
    String zone,
    int weight,
    int priority,
    String identity) {
  public Endpoint {
    Objects.requireNonNull(identity, "identity");
    if (!identity.isEmpty() && SpiffeId.parse(identity).isEmpty()) {
      throw new IllegalArgumentException("endpoint identity is not a mesh SPIFFE ID: " + identity);
    }
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

  /** An endpoint without an identity. */
  public Endpoint(String address, int port, String region, String zone, int weight, int priority) {
    this(address, port, region, zone, weight, priority, "");
  }

  /** An endpoint at priority 0, the one level of a cluster that does not rank by locality. */
  public Endpoint(String address, int port, String region, String zone, int weight) {
    this(address, port, region, zone, weight, 0);
  }

  /** The identity the endpoint must prove over mTLS, if it has one. */
  public Optional<SpiffeId> expectedIdentity() {
    return identity.isEmpty() ? Optional.empty() : SpiffeId.parse(identity);
  }

  /** The same endpoint, identity included, at another weight and priority. */
  public Endpoint reweighted(int weight, int priority) {
    return new Endpoint(address, port, region, zone, weight, priority, identity);
  }

  public String hostPort() {
    return address + ":" + port;
  }
}
