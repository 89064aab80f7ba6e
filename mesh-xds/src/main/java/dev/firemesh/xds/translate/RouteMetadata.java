package dev.firemesh.xds.translate;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;

/**
 * What a route says that Envoy's route has no field for, in the route's metadata:
 *
 * <pre>
 * filter_metadata:
 *   dev.firemesh.route:
 *     sticky_cookie: user     # draw the weighted cluster by a hash of this cookie's value
 * </pre>
 *
 * (Stickiness by header uses Envoy's own {@code weighted_clusters.header_name}.) Envoy and
 * proxyless gRPC clients ignore metadata they do not know: for them the draw stays random.
 */
public final class RouteMetadata {
  /** The {@code filter_metadata} key. */
  public static final String FILTER = "dev.firemesh.route";

  /** The cookie whose value keeps a user on one weighted cluster. */
  public static final String STICKY_COOKIE = "sticky_cookie";

  private RouteMetadata() {}

  static Metadata stickyCookie(String cookie) {
    return Metadata.newBuilder()
        .putFilterMetadata(
            FILTER,
            Struct.newBuilder()
                .putFields(STICKY_COOKIE, Value.newBuilder().setStringValue(cookie).build())
                .build())
        .build();
  }
}
