package dev.firemesh.examples.trading.referencedata.http;

import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.JsonServer;
import dev.firemesh.examples.trading.plumbing.Lifecycle;
import dev.firemesh.examples.trading.referencedata.domain.ReferenceData;

/**
 * The reference-data service: {@code --port PORT} (0 picks one), {@code --ready-file FILE}
 * (optional). It calls nobody, so it needs no sidecar address.
 */
public final class Main {
  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("reference-data", argv);
    ReferenceData data = ReferenceData.sample();
    Lifecycle life = new Lifecycle(args);
    JsonServer server =
        life.closeAtExit(
            new ReferenceDataApi(data).routes(new JsonServer()).start(args.port("port", 0)));
    life.serve(
        server.port(),
        data.venues().size()
            + " venues, "
            + data.instruments().size()
            + " instruments, "
            + data.accounts().size()
            + " accounts");
  }
}
