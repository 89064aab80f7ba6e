package dev.firemesh.chassis.config;

/** Where the configuration in force came from. */
public enum ConfigOrigin {
  /** The control plane sent it over the RTDS stream. */
  CONTROL_PLANE,
  /**
   * The last good document kept on disk: the control plane did not answer at start. The stream
   * keeps trying, and the first document it brings replaces it.
   */
  CACHE,
  /** The defaults in code alone: the service runs without a control plane. */
  DEFAULTS
}
