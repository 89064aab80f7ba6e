/**
 * The mesh's certificate authority: the key-encryption key that seals CA keys at rest, the CA
 * itself (set up once per database, shared by replicas), join tokens for a workload's first SVID,
 * issuance and renewal of X.509-SVIDs, and the expiry watch. Crypto comes from {@code
 * mesh-identity}, state from {@code mesh-store}'s {@code store.ca}; HTTP is the admin package's.
 */
package dev.firemesh.control.ca;
