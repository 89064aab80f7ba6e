package dev.firemesh.proxy.forward;

/**
 * Where a sidecar is in its graceful shutdown, shared by its listeners. Each phase is also fired as
 * a user event down every open connection's pipeline when the sidecar enters it.
 *
 * <ol>
 *   <li>{@link Phase#SERVING}: normal.
 *   <li>{@link Phase#ANNOUNCED}: still accepting and serving, but telling callers to go elsewhere:
 *       HTTP/1.1 responses carry {@code Connection: close}, HTTP/2 connections get {@code GOAWAY}
 *       (naming no last stream, so nothing in flight is refused).
 *   <li>{@link Phase#CLOSING}: listeners closed; idle connections close now, busy ones once their
 *       exchange (HTTP/1.1) or last stream (HTTP/2) ends. Tunnels run until they end or the drain
 *       times out.
 * </ol>
 */
public final class Drain {

  /** The phases, in order; also the user events announcing them. */
  public enum Phase {
    SERVING,
    ANNOUNCED,
    CLOSING
  }

  private volatile Phase phase = Phase.SERVING;

  public Phase phase() {
    return phase;
  }

  /** Whether callers are being told to go elsewhere (ANNOUNCED or CLOSING). */
  public boolean announced() {
    return phase != Phase.SERVING;
  }

  /** Moves to {@code next}; phases only go forward. */
  public void enter(Phase next) {
    if (next.compareTo(phase) > 0) {
      phase = next;
    }
  }
}
