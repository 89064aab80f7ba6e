package dev.firemesh.chassis.config;

/**
 * A configuration document (from the control plane or the cache) that is not of the agreed form.
 */
final class InvalidConfigDocumentException extends RuntimeException {
  InvalidConfigDocumentException(String message) {
    super(message);
  }
}
