package dev.firemesh.store.resource;

import dev.firemesh.store.StoreException;

/**
 * An apply expected the resources to be at one head revision and found another: someone committed
 * in between. Nothing was written; re-read the state, check the change again and retry.
 */
public final class ConcurrentChangeException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final long expectedHead;
  private final long actualHead;

  public ConcurrentChangeException(long expectedHead, long actualHead) {
    super(
        "cannot apply: expected the head revision to be "
            + expectedHead
            + " but it is "
            + actualHead
            + " (another apply committed in between); nothing was applied, re-read and retry");
    this.expectedHead = expectedHead;
    this.actualHead = actualHead;
  }

  /** The head the caller read its state at. */
  public long expectedHead() {
    return expectedHead;
  }

  /** The head found under the writers' lock. */
  public long actualHead() {
    return actualHead;
  }
}
