package dev.firemesh.bench.fanout;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The change the benchmark applies: a Service of its own whose one port number changes with every
 * apply. Every proxy must receive it, because every node is served the whole mesh: each Service has
 * a Cluster of its name that every sidecar subscribes to (wildcard), and the control plane carries
 * the service's ports in that Cluster's {@code filter_metadata["dev.firemesh.service"]} (see
 * docs/architecture.md, "xDS resources and names"). A port change is one new Cluster and nothing
 * else, so what is timed is one push of one type to every node.
 */
public record ProbeService(String name) {
  /** Where the control plane puts a service's ports in its Cluster. */
  static final String PORTS_METADATA = "dev.firemesh.service";

  public ProbeService {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "a service name is lower-case letters, digits and inner dashes, got \"" + name + "\"");
    }
  }

  /** The Service document that sets the probe's port to {@code port}. */
  public String yaml(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("a port is from 1 to 65535, got " + port);
    }
    return """
        apiVersion: firemesh.dev/v1
        kind: Service
        metadata:
          name: %s
          labels: {purpose: fanout-benchmark}
        spec:
          ports: [{name: http, port: %d, protocol: http1}]
        """
        .formatted(name, port);
  }

  /** The probe's port in a sidecar's accepted Clusters, if its Cluster is there. */
  public OptionalInt port(Map<String, Cluster> clusters) {
    Cluster cluster = clusters.get(name);
    if (cluster == null) {
      return OptionalInt.empty();
    }
    Struct service = cluster.getMetadata().getFilterMetadataMap().get(PORTS_METADATA);
    if (service == null) {
      return OptionalInt.empty();
    }
    Value ports = service.getFieldsMap().get("ports");
    if (ports == null || ports.getListValue().getValuesCount() == 0) {
      return OptionalInt.empty();
    }
    Value port = ports.getListValue().getValues(0).getStructValue().getFieldsMap().get("port");
    return port == null ? OptionalInt.empty() : OptionalInt.of((int) port.getNumberValue());
  }
}
