package dev.firemesh.api.resource;

import java.util.Objects;

/**
 * Whether a service's sidecars accept plaintext callers. One MutualTls without a service sets the
 * mesh-wide default; one naming a service overrides it for that service. Without any, the mode is
 * permissive.
 */
public record MutualTls(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.MUTUAL_TLS;
  }

  /**
   * @param service the service this mode applies to; {@code ""}: the mesh-wide default
   */
  public record Spec(Mode mode, String service) {
    public Spec {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(service, "service");
    }

    public boolean meshWide() {
      return service.isEmpty();
    }
  }

  public enum Mode {
    /** Only callers with a verified certificate; plaintext is refused. */
    STRICT("strict"),
    /** mTLS when the caller offers it, plaintext accepted too (for a migration). */
    PERMISSIVE("permissive");

    private final String wireName;

    Mode(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }
}
