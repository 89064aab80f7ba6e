package dev.firemesh.it;

import java.util.ArrayList;
import java.util.List;

/** What a test started, closed in reverse order; the first failure is thrown, none is lost. */
final class Closer implements AutoCloseable {
  private final List<AutoCloseable> resources = new ArrayList<>();

  <T extends AutoCloseable> T add(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    resources.clear();
    if (first != null) {
      throw first;
    }
  }
}
