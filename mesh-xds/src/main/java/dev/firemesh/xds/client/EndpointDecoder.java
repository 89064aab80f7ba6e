package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.xds.translate.EndpointMetadata;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A ClusterLoadAssignment as a flat list of endpoints with one weight and one priority each.
 * Endpoints neither HEALTHY nor UNKNOWN are left out.
 *
 * <p>Within a priority, the weight folds the locality's weight into the endpoint's: a locality gets
 * its share of calls by its weight, and its endpoints share that by their own weights, as grpc-java
 * and Envoy's locality-weighted balancing do. When no locality of the priority has a weight,
 * endpoint weights alone count. The priority is the locality's; the router sends to the lowest
 * present.
 */
final class EndpointDecoder {
  private static final Set<String> ASSIGNMENT = Set.of("cluster_name", "endpoints", "policy");
  private static final Set<String> LOCALITY_ENDPOINTS =
      Set.of("locality", "lb_endpoints", "load_balancing_weight", "priority", "proximity");
  private static final Set<String> LB_ENDPOINT =
      Set.of("endpoint", "health_status", "load_balancing_weight", "metadata");

  /** Above this, exact integer weights give way to proportional ones. */
  private static final long MAX_WEIGHT = 1_000_000;

  private EndpointDecoder() {}

  private record Located(
      List<Endpoint> endpoints, List<Integer> weights, int localityWeight, int priority) {}

  static List<Endpoint> endpoints(ClusterLoadAssignment assignment, String path)
      throws FieldProblem {
    ProtoFields.only(assignment, path, ASSIGNMENT);
    if (assignment.hasPolicy()) {
      String policyPath = at(path, "policy");
      // Overprovisioning spills load across priorities by health; levels here change by presence
      // only (every endpoint kept is available), where it changes nothing.
      ProtoFields.only(
          assignment.getPolicy(),
          policyPath,
          Set.of("overprovisioning_factor", "endpoint_stale_after", "weighted_priority_health"));
    }
    List<Located> localities = new ArrayList<>();
    for (int i = 0; i < assignment.getEndpointsCount(); i++) {
      String localityPath = at(path, "endpoints", i);
      LocalityLbEndpoints locality = assignment.getEndpoints(i);
      ProtoFields.only(locality, localityPath, LOCALITY_ENDPOINTS);
      int priority = locality.getPriority();
      if (priority < 0) {
        throw new FieldProblem(
            at(localityPath, "priority"), "out of range: " + Integer.toUnsignedString(priority));
      }
      String region = locality.getLocality().getRegion();
      String zone = locality.getLocality().getZone();
      List<Endpoint> endpoints = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      for (int j = 0; j < locality.getLbEndpointsCount(); j++) {
        String endpointPath = at(localityPath, "lb_endpoints", j);
        LbEndpoint lb = locality.getLbEndpoints(j);
        ProtoFields.only(lb, endpointPath, LB_ENDPOINT);
        if (lb.getHealthStatus() != HealthStatus.HEALTHY
            && lb.getHealthStatus() != HealthStatus.UNKNOWN) {
          continue;
        }
        int weight =
            lb.hasLoadBalancingWeight() ? ProtoFields.uint32(lb.getLoadBalancingWeight()) : 1;
        if (weight < 1) {
          throw new FieldProblem(at(endpointPath, "load_balancing_weight"), "must be at least 1");
        }
        SocketAddress socket = socketAddress(lb, at(endpointPath, "endpoint"));
        endpoints.add(
            new Endpoint(
                socket.getAddress(),
                socket.getPortValue(),
                region,
                zone,
                1,
                priority,
                identity(lb, endpointPath)));
        weights.add(weight);
      }
      if (!endpoints.isEmpty()) {
        int localityWeight =
            locality.hasLoadBalancingWeight()
                ? ProtoFields.uint32(locality.getLoadBalancingWeight())
                : 0;
        localities.add(new Located(endpoints, weights, localityWeight, priority));
      }
    }
    Map<Integer, List<Located>> byPriority = new TreeMap<>();
    for (Located located : localities) {
      byPriority.computeIfAbsent(located.priority(), p -> new ArrayList<>()).add(located);
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (List<Located> level : byPriority.values()) {
      endpoints.addAll(weighted(level));
    }
    return endpoints;
  }

  /**
   * The SPIFFE ID in {@link EndpointMetadata}, or empty. Other metadata is someone else's and left
   * alone, as Envoy does.
   */
  private static String identity(LbEndpoint lb, String path) throws FieldProblem {
    com.google.protobuf.Struct struct =
        lb.getMetadata().getFilterMetadataMap().get(EndpointMetadata.FILTER);
    if (struct == null || !struct.containsFields(EndpointMetadata.IDENTITY)) {
      return "";
    }
    String fieldPath =
        at(path, "metadata.filter_metadata[" + EndpointMetadata.FILTER + "]")
            + "."
            + EndpointMetadata.IDENTITY;
    com.google.protobuf.Value value = struct.getFieldsOrThrow(EndpointMetadata.IDENTITY);
    if (!value.hasStringValue()) {
      throw new FieldProblem(fieldPath, "expected a SPIFFE ID string");
    }
    String text = value.getStringValue();
    if (SpiffeId.parse(text).isEmpty()) {
      throw new FieldProblem(
          fieldPath,
          "not a mesh SPIFFE ID (spiffe://<trust-domain>/env/<env>/svc/<service>): '" + text + "'");
    }
    return text;
  }

  private static SocketAddress socketAddress(LbEndpoint lb, String path) throws FieldProblem {
    if (!lb.hasEndpoint()) {
      throw new FieldProblem(path, "required");
    }
    var endpoint = lb.getEndpoint();
    // A hostname is for logs and health checks; the address is what is dialled.
    ProtoFields.only(
        endpoint,
        path,
        Set.of("address", "hostname", "health_check_config", "additional_addresses"));
    Address address = endpoint.getAddress();
    String addressPath = at(path, "address");
    ProtoFields.only(address, addressPath, Set.of("socket_address"));
    if (!address.hasSocketAddress()) {
      throw new FieldProblem(addressPath, "a socket_address is required");
    }
    SocketAddress socket = address.getSocketAddress();
    String socketPath = at(addressPath, "socket_address");
    ProtoFields.only(
        socket, socketPath, Set.of("address", "port_value", "protocol", "ipv4_compat"));
    if (socket.getProtocol() != SocketAddress.Protocol.TCP) {
      throw new FieldProblem(at(socketPath, "protocol"), "only TCP is supported");
    }
    if (socket.getAddress().isEmpty()) {
      throw new FieldProblem(at(socketPath, "address"), "required");
    }
    if (socket.getPortValue() < 1 || socket.getPortValue() > 65535) {
      throw new FieldProblem(
          at(socketPath, "port_value"), "not in 1-65535: " + socket.getPortValue());
    }
    return socket;
  }

  /**
   * Endpoint e in locality l gets W_l * w_e / S_l, where S_l is the sum of l's endpoint weights,
   * scaled by the least common multiple of the S_l to integers and reduced by their greatest common
   * divisor: exact, so equal shares stay equal. Localities without a weight get no calls when
   * others have one (as in grpc-java).
   */
  private static List<Endpoint> weighted(List<Located> localities) {
    boolean byLocality = localities.stream().anyMatch(l -> l.localityWeight() > 0);
    List<Endpoint> endpoints = new ArrayList<>();
    List<BigInteger> weights = new ArrayList<>();
    BigInteger lcm = BigInteger.ONE;
    if (byLocality) {
      for (Located locality : localities) {
        if (locality.localityWeight() > 0) {
          BigInteger sum = BigInteger.valueOf(sum(locality.weights()));
          lcm = lcm.multiply(sum).divide(lcm.gcd(sum));
        }
      }
    }
    for (Located locality : localities) {
      if (byLocality && locality.localityWeight() == 0) {
        continue;
      }
      BigInteger scale =
          byLocality
              ? BigInteger.valueOf(locality.localityWeight())
                  .multiply(lcm.divide(BigInteger.valueOf(sum(locality.weights()))))
              : BigInteger.ONE;
      for (int i = 0; i < locality.endpoints().size(); i++) {
        endpoints.add(locality.endpoints().get(i));
        weights.add(scale.multiply(BigInteger.valueOf(locality.weights().get(i))));
      }
    }
    BigInteger gcd = weights.stream().reduce(BigInteger.ZERO, BigInteger::gcd);
    BigInteger max = weights.stream().reduce(BigInteger.ZERO, BigInteger::max);
    List<Endpoint> result = new ArrayList<>(endpoints.size());
    for (int i = 0; i < endpoints.size(); i++) {
      BigInteger reduced = weights.get(i).divide(gcd);
      long weight =
          max.divide(gcd).compareTo(BigInteger.valueOf(MAX_WEIGHT)) <= 0
              ? reduced.longValueExact()
              : Math.max(
                  1, Math.round(weights.get(i).doubleValue() / max.doubleValue() * MAX_WEIGHT));
      Endpoint endpoint = endpoints.get(i);
      result.add(endpoint.reweighted((int) weight, endpoint.priority()));
    }
    return result;
  }

  private static long sum(List<Integer> weights) {
    long sum = 0;
    for (int weight : weights) {
      sum += weight;
    }
    return sum;
  }
}
