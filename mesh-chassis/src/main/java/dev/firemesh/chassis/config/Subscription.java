package dev.firemesh.chassis.config;

/** A listener's registration; closing it stops further notifications. */
public interface Subscription extends AutoCloseable {
  @Override
  void close();
}
