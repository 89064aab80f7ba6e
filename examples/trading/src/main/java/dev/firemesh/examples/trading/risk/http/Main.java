package dev.firemesh.examples.trading.risk.http;

import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.JsonServer;
import dev.firemesh.examples.trading.plumbing.Lifecycle;
import dev.firemesh.examples.trading.plumbing.Summary;
import dev.firemesh.examples.trading.risk.domain.RiskBook;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The risk service: {@code --port PORT} (0 picks one), {@code --ready-file FILE} (optional). */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("risk");

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("risk", argv);
    RiskBook book = RiskBook.sample(InstantSource.system());
    RiskApi api = new RiskApi(book);
    Lifecycle life = new Lifecycle(args);
    JsonServer server = life.closeAtExit(api.routes(new JsonServer()).start(args.port("port", 0)));
    Thread summary =
        Summary.every(
            Duration.ofSeconds(10),
            log,
            () ->
                "limit checks: "
                    + api.approved.sum()
                    + " approved, "
                    + api.breached.sum()
                    + " breached");
    life.closeAtExit(summary::interrupt);
    life.serve(server.port(), book.limits().size() + " accounts with limits");
  }
}
