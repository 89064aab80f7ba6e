/**
 * The mesh's certificate authority: the key-encryption key that seals CA keys at rest, the CA
 * itself (set up once per database, shared by replicas), join tokens for a workload's first SVID,
 * issuance and renewal of X.509-SVIDs, the expiry watch, and staged rotation ({@code Rotation}:
 * prepare, activate, finish) with every replica following the store ({@code CaFollower}). Crypto
 * comes from {@code mesh-identity}, state from {@code mesh-store}'s {@code store.ca}; HTTP is the
 * admin package's.
 */
package dev.firemesh.control.ca;
