package dev.firemesh.xds.server;

import java.time.Instant;

/**
 * A node rejected a response: the version it rejected (empty if the nonce was not the latest
 * response's) and the reason it gave in {@code error_detail}.
 */
public record Nack(String rejectedVersion, String message, Instant at) {}
