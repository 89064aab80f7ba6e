package dev.firemesh.store.resource;

/**
 * A resource as stored.
 *
 * @param body the canonical JSON text exactly as applied
 * @param revision the revision that last changed it
 */
public record StoredResource(String kind, String name, String body, long revision) {}
