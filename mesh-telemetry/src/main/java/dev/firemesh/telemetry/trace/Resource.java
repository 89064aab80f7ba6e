package dev.firemesh.telemetry.trace;

/**
 * What produced the spans: the sidecar's service, its instance and the environment, as
 * OpenTelemetry's resource attributes. A sidecar has one; spans are grouped by it in OTLP.
 *
 * @param serviceName {@code service.name}: the mesh service the sidecar stands beside
 * @param serviceInstanceId {@code service.instance.id}: the instance (the registry's instance id)
 * @param environment {@code deployment.environment.name}; empty to leave it out
 */
public record Resource(String serviceName, String serviceInstanceId, String environment) {
  public Resource {
    if (serviceName.isBlank()) {
      throw new IllegalArgumentException("a resource needs a service name");
    }
  }

  public Attributes attributes() {
    return Attributes.builder()
        .put(SemanticAttributes.SERVICE_NAME, serviceName)
        .putIfNotEmpty(SemanticAttributes.SERVICE_INSTANCE_ID, serviceInstanceId)
        .putIfNotEmpty(SemanticAttributes.DEPLOYMENT_ENVIRONMENT_NAME, environment)
        .put(SemanticAttributes.TELEMETRY_SDK_NAME, "firemesh")
        .put(SemanticAttributes.TELEMETRY_SDK_LANGUAGE, "java")
        .build();
  }
}
