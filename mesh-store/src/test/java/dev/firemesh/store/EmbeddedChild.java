package dev.firemesh.store;

import dev.firemesh.store.resource.ChangeSet;
import dev.firemesh.store.resource.ResourceStore;
import java.nio.file.Path;

/**
 * A stand-in for a control plane in its own JVM, for {@link DatabaseTest}: starts the embedded
 * store on the directory it is given, applies one resource, says READY and waits to be killed. It
 * also ends when its standard input closes, so a crashed test leaves nothing behind.
 */
public final class EmbeddedChild {
  static final String BODY = "{\"written\":\"by the killed process\"}";

  private EmbeddedChild() {}

  public static void main(String[] args) throws Exception {
    Database database = Database.embedded(Path.of(args[0]));
    new ResourceStore(database)
        .apply(ChangeSet.builder().put("Service", "orders", BODY).build(), "child", "before kill");
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // wait for SIGKILL, or for the parent to go away
    }
    database.close();
  }
}
