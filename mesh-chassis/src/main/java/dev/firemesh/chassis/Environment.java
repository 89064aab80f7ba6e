package dev.firemesh.chassis;

import java.util.Map;
import java.util.Optional;

/**
 * What {@code firemesh run} tells the process it starts, read once: the builder's defaults, so a
 * service started by the mesh needs no flags, and one started by hand (or in a test) sets them on
 * the builder instead.
 */
record Environment(Map<String, String> variables) {
  static final String SERVICE = "FIREMESH_SERVICE";
  static final String ENV = "FIREMESH_ENV";
  static final String INSTANCE_ID = "FIREMESH_INSTANCE_ID";
  static final String REGION = "FIREMESH_REGION";
  static final String ZONE = "FIREMESH_ZONE";
  static final String APP_PORT = "FIREMESH_APP_PORT";
  static final String GRPC_PORT = "FIREMESH_GRPC_PORT";
  static final String INBOUND = "FIREMESH_INBOUND";
  static final String OUTBOUND = "FIREMESH_OUTBOUND";
  static final String CONTROL_PLANE = "FIREMESH_CONTROL_PLANE";
  static final String CA_FILE = "FIREMESH_CA_FILE";
  static final String XDS = "FIREMESH_XDS";
  static final String JOIN_TOKEN = "FIREMESH_JOIN_TOKEN";
  // Not FIREMESH_DATA_DIR: the CLI reads that as the control plane's directory.
  static final String DATA_DIR = "FIREMESH_STATE_DIR";
  static final String STORE_URL = "FIREMESH_STORE_URL";
  static final String LABELS = "FIREMESH_LABELS";

  static Environment ofProcess() {
    return new Environment(System.getenv());
  }

  Environment {
    variables = Map.copyOf(variables);
  }

  Optional<String> get(String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
