package dev.firemesh.xds.client;

import dev.firemesh.xds.translate.XdsType;

/**
 * A problem with one field, found where the resource's name is not known; the per-resource entry
 * point turns it into an {@link XdsDecodingException}.
 */
final class FieldProblem extends Exception {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String problem;

  FieldProblem(String field, String problem) {
    super(field + ": " + problem, null, false, false);
    this.field = field;
    this.problem = problem;
  }

  XdsDecodingException in(XdsType type, String resource) {
    return new XdsDecodingException(type, resource, field, problem);
  }
}
