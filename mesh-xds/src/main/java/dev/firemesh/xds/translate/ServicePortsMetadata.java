package dev.firemesh.xds.translate;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.api.resource.Service;
import io.envoyproxy.envoy.config.core.v3.Metadata;

/**
 * A service's declared ports, carried in its cluster's metadata so that sidecars know which ports
 * are TCP (and which port name a tunnel may ask for) without a listener per port:
 *
 * <pre>
 * filter_metadata:
 *   dev.firemesh.service:
 *     service: db
 *     ports: [{name: fix, port: 9878, protocol: tcp}, {name: http, port: 8080, protocol: http1}]
 * </pre>
 *
 * Envoy and proxyless gRPC clients ignore metadata they do not know, so this changes nothing for
 * them.
 */
public final class ServicePortsMetadata {
  /** The {@code filter_metadata} key. */
  public static final String FILTER = "dev.firemesh.service";

  private ServicePortsMetadata() {}

  static Metadata of(Service service) {
    ListValue.Builder ports = ListValue.newBuilder();
    for (Service.Port port : service.spec().ports()) {
      ports.addValues(
          Value.newBuilder()
              .setStructValue(
                  Struct.newBuilder()
                      .putFields("name", string(port.name()))
                      .putFields("port", Value.newBuilder().setNumberValue(port.port()).build())
                      .putFields("protocol", string(port.protocol().wireName()))));
    }
    return Metadata.newBuilder()
        .putFilterMetadata(
            FILTER,
            Struct.newBuilder()
                .putFields("service", string(service.name()))
                .putFields("ports", Value.newBuilder().setListValue(ports).build())
                .build())
        .build();
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}
