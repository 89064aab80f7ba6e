package dev.firemesh.store.resource;

import dev.firemesh.store.StoreException;

/** A request named a revision that does not exist (they run from 1 to the head). */
public final class RevisionNotFoundException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final long revision;

  public RevisionNotFoundException(long revision, long head) {
    super(
        "no revision "
            + revision
            + (head == 0 ? ": there are no revisions yet" : ": revisions run from 1 to " + head));
    this.revision = revision;
  }

  public long revision() {
    return revision;
  }
}
