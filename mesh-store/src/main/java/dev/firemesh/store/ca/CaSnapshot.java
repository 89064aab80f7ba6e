package dev.firemesh.store.ca;

import java.util.List;
import java.util.Optional;

/**
 * The CA's stored state, read in one transaction.
 *
 * @param version bumped by every rotation step; replicas reload when it moves
 * @param certificates every CA certificate, roots first, then by notBefore
 * @param rotation the rotation under way, if any
 */
public record CaSnapshot(
    long version, List<CaCertificate> certificates, Optional<CaRotation> rotation) {
  public CaSnapshot {
    certificates = List.copyOf(certificates);
  }
}
