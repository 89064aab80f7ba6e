package dev.firemesh.xds.client;

import dev.firemesh.xds.translate.XdsType;

/**
 * An xDS resource the data plane cannot honour, or a malformed one. The message names the resource
 * type, the resource and the field (a proto field path such as {@code
 * virtual_hosts[0].routes[2].match.safe_regex.regex}); it is what a NACK's {@code error_detail}
 * carries back to the control plane.
 */
public final class XdsDecodingException extends Exception {
  private static final long serialVersionUID = 1L;

  private final XdsType type;
  private final String resource;
  private final String field;
  private final String problem;

  public XdsDecodingException(XdsType type, String resource, String field, String problem) {
    super(
        typeName(type)
            + " '"
            + resource
            + "'"
            + (field.isEmpty() ? "" : " field " + field)
            + ": "
            + problem);
    this.type = type;
    this.resource = resource;
    this.field = field;
    this.problem = problem;
  }

  /** The type of the resource at fault: its response is the one to NACK. */
  public XdsType type() {
    return type;
  }

  public String resource() {
    return resource;
  }

  /** The path of the field at fault within the resource; empty for the resource as a whole. */
  public String field() {
    return field;
  }

  public String problem() {
    return problem;
  }

  /** The Envoy message name of a type, as operators know it from Envoy's own errors. */
  static String typeName(XdsType type) {
    return switch (type) {
      case LISTENER -> "Listener";
      case ROUTE -> "RouteConfiguration";
      case CLUSTER -> "Cluster";
      case ENDPOINT -> "ClusterLoadAssignment";
    };
  }
}
