package dev.firemesh.examples.trading.orders.http;

import dev.firemesh.examples.trading.orders.domain.OrderDesk;
import dev.firemesh.examples.trading.orders.domain.OrderPolicy;
import dev.firemesh.examples.trading.orders.domain.OrderStats;
import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.JsonServer;
import dev.firemesh.examples.trading.plumbing.Lifecycle;
import dev.firemesh.examples.trading.plumbing.MeshHttp;
import dev.firemesh.examples.trading.plumbing.Summary;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orders service: {@code --port PORT} (0 picks one), {@code --sidecar HOST:PORT} (its sidecar's
 * outbound listener, default 127.0.0.1:15001), {@code --instance ID} and {@code --version V} (put
 * in answers and order ids), {@code --ready-file FILE} (optional).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("orders");

  /**
   * How long orders waits for reference-data and risk. Generous for a trading path, on purpose: the
   * demo runs thirteen JVMs on two cores, and the first calls through cold JVMs while they all
   * start can take seconds. The generator waits longer still, so it hears orders' own answer.
   */
  static final Duration DEPENDENCY_TIMEOUT = Duration.ofSeconds(5);

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("orders", argv);
    String instance = args.string("instance", "orders");
    String version = args.string("version", "v1");
    Lifecycle life = new Lifecycle(args);
    MeshHttp mesh =
        life.closeAtExit(
            new MeshHttp(args.address("sidecar", "127.0.0.1:15001"), DEPENDENCY_TIMEOUT));
    OrderDesk desk =
        new OrderDesk(
            instance,
            OrderPolicy.dev(),
            new ReferenceDataClient(mesh),
            new RiskClient(mesh),
            InstantSource.system());
    JsonServer server =
        life.closeAtExit(
            new OrdersApi(desk, instance, version)
                .routes(new JsonServer())
                .start(args.port("port", 0)));
    Thread summary = Summary.every(Duration.ofSeconds(10), log, () -> line(desk.stats()));
    life.closeAtExit(summary::interrupt);
    life.serve(
        server.port(),
        instance
            + " ("
            + version
            + "), reference-data and risk through the sidecar at "
            + args.string("sidecar", "127.0.0.1:15001"));
  }

  private static String line(OrderStats stats) {
    return "orders: "
        + stats.accepted()
        + " accepted, "
        + stats.rejectedTotal()
        + " rejected "
        + stats.rejected();
  }
}
