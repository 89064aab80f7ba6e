package dev.firemesh.chassis.schedule;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;

/** A clock a test sets by hand, for schedulers timed by it. */
final class TestClock implements InstantSource {
  private final AtomicReference<Instant> now;

  TestClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  void set(Instant instant) {
    now.set(instant);
  }
}
