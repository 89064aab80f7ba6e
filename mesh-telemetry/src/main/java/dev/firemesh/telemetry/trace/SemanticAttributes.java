package dev.firemesh.telemetry.trace;

/**
 * The attribute names spans and resources carry: OpenTelemetry's semantic conventions for HTTP, RPC
 * (gRPC), network and resources, and FireMesh's own under {@code firemesh.*}. Documented for users
 * in docs/observability/tracing.md; a name here is a contract with whoever queries traces.
 */
public final class SemanticAttributes {
  private SemanticAttributes() {}

  // HTTP (stable conventions)
  public static final String HTTP_REQUEST_METHOD = "http.request.method";
  public static final String HTTP_REQUEST_METHOD_ORIGINAL = "http.request.method_original";
  public static final String HTTP_RESPONSE_STATUS_CODE = "http.response.status_code";
  public static final String HTTP_ROUTE = "http.route";
  public static final String URL_PATH = "url.path";
  public static final String URL_SCHEME = "url.scheme";

  // where the request went, and who sent it
  public static final String SERVER_ADDRESS = "server.address";
  public static final String SERVER_PORT = "server.port";
  public static final String NETWORK_PEER_ADDRESS = "network.peer.address";
  public static final String NETWORK_PEER_PORT = "network.peer.port";
  public static final String NETWORK_PROTOCOL_NAME = "network.protocol.name";
  public static final String NETWORK_PROTOCOL_VERSION = "network.protocol.version";

  // RPC
  public static final String RPC_SYSTEM = "rpc.system";
  public static final String RPC_SERVICE = "rpc.service";
  public static final String RPC_METHOD = "rpc.method";
  public static final String RPC_GRPC_STATUS_CODE = "rpc.grpc.status_code";

  public static final String ERROR_TYPE = "error.type";

  // FireMesh's own: the mesh's view of the hop, the same values the golden metrics use as labels
  public static final String FIREMESH_DIRECTION = "firemesh.direction";
  public static final String FIREMESH_SOURCE = "firemesh.source";
  public static final String FIREMESH_DESTINATION = "firemesh.destination";
  public static final String FIREMESH_ROUTE = "firemesh.route";

  // resource
  public static final String SERVICE_NAME = "service.name";
  public static final String SERVICE_INSTANCE_ID = "service.instance.id";
  public static final String DEPLOYMENT_ENVIRONMENT_NAME = "deployment.environment.name";
  public static final String TELEMETRY_SDK_NAME = "telemetry.sdk.name";
  public static final String TELEMETRY_SDK_LANGUAGE = "telemetry.sdk.language";
}
