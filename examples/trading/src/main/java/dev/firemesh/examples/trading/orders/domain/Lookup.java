package dev.firemesh.examples.trading.orders.domain;

/** The answer of another service about one thing: there, not there, or could not be asked. */
public sealed interface Lookup<T> {
  record Found<T>(T value) implements Lookup<T> {}

  record Missing<T>() implements Lookup<T> {}

  /**
   * @param why what went wrong, for the rejection's detail
   */
  record Unavailable<T>(String why) implements Lookup<T> {}
}
