/**
 * Resources with history: every apply is one transaction that commits a numbered revision (1, 2,
 * 3... gap-free across all replicas sharing the database), and any past state can be read back or
 * rolled back to.
 *
 * <p>A resource is a (kind, name) and an opaque body: the canonical JSON text the control plane
 * gives, returned byte for byte. This package does not parse or validate bodies.
 */
package dev.firemesh.store.resource;
