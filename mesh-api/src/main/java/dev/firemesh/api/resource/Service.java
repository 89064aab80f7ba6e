package dev.firemesh.api.resource;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A logical service: the name callers use, its ports (each with the protocol it speaks, so the data
 * plane never has to sniff) and its named subsets (groups of instances selected by labels, such as
 * {@code version: v2}) that routes may target.
 */
public record Service(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.SERVICE;
  }

  public record Spec(List<Port> ports, List<Subset> subsets) {
    public Spec {
      ports = List.copyOf(ports);
      subsets = List.copyOf(subsets);
    }

    public Optional<Subset> subset(String name) {
      return subsets.stream().filter(s -> s.name().equals(name)).findFirst();
    }
  }

  /** A port of the service; {@code name} is unique within the service. */
  public record Port(String name, int port, Protocol protocol) {
    public Port {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(protocol, "protocol");
    }
  }

  /** The wire protocol of a port. */
  public enum Protocol {
    HTTP1("http1"),
    HTTP2("http2"),
    GRPC("grpc"),
    TCP("tcp");

    private final String wireName;

    Protocol(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** Instances whose labels include every entry of {@code labels}. */
  public record Subset(String name, Map<String, String> labels) {
    public Subset {
      Objects.requireNonNull(name, "name");
      labels = Map.copyOf(labels);
    }

    public boolean selects(Map<String, String> instanceLabels) {
      return labels.entrySet().stream()
          .allMatch(e -> e.getValue().equals(instanceLabels.get(e.getKey())));
    }
  }
}
