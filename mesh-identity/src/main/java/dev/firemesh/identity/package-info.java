/**
 * Workload identity in the mesh: SPIFFE X.509 SVIDs. Shared by the control plane's certificate
 * authority (which signs), the sidecar (which requests, renews and verifies peers) and, later, the
 * chassis's direct channel, so every party checks certificates the same way.
 */
package dev.firemesh.identity;
