/**
 * The certificate authority's durable state: CA certificates with their sealed keys, the trust
 * domain, the rotation under way and the version replicas poll, join tokens (hashes, never secrets)
 * and the ledger of issued SVIDs (with each one's issuer). Holds bytes and text only: no
 * cryptography happens here, so this module needs no crypto library and a key is never in clear on
 * its way through.
 */
package dev.firemesh.store.ca;
