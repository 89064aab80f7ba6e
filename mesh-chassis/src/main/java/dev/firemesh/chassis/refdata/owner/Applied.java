package dev.firemesh.chassis.refdata.owner;

import java.time.Instant;

/**
 * What a command made.
 *
 * @param repeated true when the command id had been applied before: {@code version} is the one it
 *     made then, and nothing was written now
 */
public record Applied(long version, Instant committedAt, boolean repeated) {}
