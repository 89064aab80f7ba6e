/**
 * Canary runs: where each progressive delivery stands and the decisions it took, so that the
 * control plane's canary controller survives restarts and hand-overs between replicas. Knows
 * nothing of how decisions are taken; the Canary spec is opaque JSON here.
 */
package dev.firemesh.store.canary;
