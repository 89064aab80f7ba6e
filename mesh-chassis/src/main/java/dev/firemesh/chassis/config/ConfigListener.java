package dev.firemesh.chassis.config;

/**
 * Told of each change of the configuration in force, once per change, in revision order, on the
 * configuration's one dispatcher thread (so a slow listener delays later notifications, never the
 * swap: readers see the new value before any listener is called).
 */
@FunctionalInterface
public interface ConfigListener<T> {
  /**
   * @param previous the value that was in force
   * @param current the value now in force
   * @param revision the revision of {@code current}
   */
  void onChange(T previous, T current, long revision);
}
