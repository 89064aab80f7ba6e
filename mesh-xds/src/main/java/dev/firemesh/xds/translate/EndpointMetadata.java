package dev.firemesh.xds.translate;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;

/**
 * What an endpoint says that Envoy's endpoint has no field for, in the {@code LbEndpoint}'s
 * metadata:
 *
 * <pre>
 * filter_metadata:
 *   dev.firemesh.endpoint:
 *     identity: spiffe://bank.example/env/prod/svc/orders   # what its certificate must name
 * </pre>
 *
 * The identity comes from the instance's reserved registration label {@code identity}, and is
 * deliberately not a subset label ({@code envoy.lb}): it says who an endpoint is, not which
 * variant. A caller's sidecar reaches an endpoint with an identity over mTLS and refuses it if its
 * certificate names anyone else. Envoy and proxyless gRPC clients ignore metadata they do not know.
 */
public final class EndpointMetadata {
  /** The {@code filter_metadata} key. */
  public static final String FILTER = "dev.firemesh.endpoint";

  /** The SPIFFE ID the endpoint's certificate must name. */
  public static final String IDENTITY = "identity";

  /** The registration label an instance's sidecar puts its SPIFFE ID in. */
  public static final String IDENTITY_LABEL = "identity";

  private EndpointMetadata() {}

  static Metadata identity(String spiffeId) {
    return Metadata.newBuilder()
        .putFilterMetadata(
            FILTER,
            Struct.newBuilder()
                .putFields(IDENTITY, Value.newBuilder().setStringValue(spiffeId).build())
                .build())
        .build();
  }
}
