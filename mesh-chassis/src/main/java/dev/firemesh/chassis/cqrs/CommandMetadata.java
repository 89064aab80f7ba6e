package dev.firemesh.chassis.cqrs;

import java.util.Objects;

/**
 * Who sent a command and in which chain, recorded on every event it decides.
 *
 * @param actor the caller's SPIFFE id or service name, or an operator's name
 * @param correlationId the id of the first message of the chain; blank for a command that starts
 *     one (its own id is used)
 * @param traceId the W3C trace id of the request carrying it, empty when there is none
 */
public record CommandMetadata(String actor, String correlationId, String traceId) {
  public CommandMetadata {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(correlationId, "correlationId");
    Objects.requireNonNull(traceId, "traceId");
    if (actor.isBlank()) {
      throw new IllegalArgumentException("a command's actor must not be blank");
    }
  }

  /** A command that starts its own chain, outside any trace. */
  public static CommandMetadata of(String actor) {
    return new CommandMetadata(actor, "", "");
  }
}
