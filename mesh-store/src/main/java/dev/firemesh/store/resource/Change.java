package dev.firemesh.store.resource;

/** A change a revision made to one resource. */
public record Change(String kind, String name, Op op) {

  /** What happened to the resource. */
  public enum Op {
    CREATED,
    UPDATED,
    DELETED
  }
}
