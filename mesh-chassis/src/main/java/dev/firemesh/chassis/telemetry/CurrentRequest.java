package dev.firemesh.chassis.telemetry;

import dev.firemesh.telemetry.trace.TraceHop;
import java.util.Optional;

/**
 * The trace of the request a thread is serving, so that the calls its handler makes carry it on
 * (the chassis's clients read it) without the handler passing it along. Bound for the handler's run
 * only, on the handler's own virtual thread.
 */
public final class CurrentRequest {
  static final ScopedValue<TraceHop> HOP = ScopedValue.newInstance();

  private CurrentRequest() {}

  /** The hop being served on this thread, if any. */
  public static Optional<TraceHop> hop() {
    return HOP.isBound() ? Optional.of(HOP.get()) : Optional.empty();
  }

  /** Runs {@code work} with {@code hop} as the request being served. */
  public static <T, X extends Throwable> T serving(TraceHop hop, ScopedValue.CallableOp<T, X> work)
      throws X {
    return ScopedValue.where(HOP, hop).call(work);
  }
}
