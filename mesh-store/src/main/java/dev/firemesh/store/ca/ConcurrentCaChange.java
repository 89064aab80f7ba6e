package dev.firemesh.store.ca;

/**
 * A rotation step was decided on a state of the CA that another step (another operator, another
 * replica) has changed meanwhile; nothing was written.
 */
public final class ConcurrentCaChange extends RuntimeException {
  public ConcurrentCaChange(long expected, long found) {
    super(
        "the CA changed while this step was being decided (version "
            + expected
            + ", now "
            + found
            + "): another rotation step ran; look at `firemesh ca status` and try again");
  }
}
