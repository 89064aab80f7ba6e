package dev.firemesh.traffic.ratelimit;

/** A monotonic clock in nanoseconds, as {@link System#nanoTime()}; tests drive their own. */
@FunctionalInterface
public interface NanoClock {
  NanoClock SYSTEM = System::nanoTime;

  long nanoTime();
}
