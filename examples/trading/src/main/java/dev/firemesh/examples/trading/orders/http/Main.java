package dev.firemesh.examples.trading.orders.http;

import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.examples.trading.orders.domain.OrderDesk;
import dev.firemesh.examples.trading.orders.domain.OrderStats;
import dev.firemesh.examples.trading.orders.domain.OrdersConfig;
import dev.firemesh.examples.trading.plumbing.Arguments;
import dev.firemesh.examples.trading.plumbing.ChassisReady;
import dev.firemesh.examples.trading.plumbing.Dependencies;
import dev.firemesh.examples.trading.plumbing.Summary;
import java.time.Duration;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orders service, on the chassis: its mesh membership, configuration ({@link OrdersConfig},
 * live) and reference data (a replica of instruments, accounts and venues) come from the {@code
 * FIREMESH_*} environment. Arguments: {@code --version V} (put in answers; default v1) and {@code
 * --ready-file FILE} (optional, written once it serves).
 */
public final class Main {
  private static final Logger log = LoggerFactory.getLogger("orders");

  private Main() {}

  public static void main(String[] argv) throws Exception {
    Arguments args = Arguments.parse("orders", argv);
    String version = args.string("version", "v1");
    // Its replica loads from reference-data as it starts; its first order asks risk.
    Dependencies.await("reference-data", "/venues");
    Dependencies.await("risk", "/limits");
    Chassis chassis =
        Chassis.builder()
            .config(OrdersConfig.class, OrdersConfig.DEFAULTS)
            .referenceData(
                "reference-data",
                ReferenceSets.INSTRUMENTS,
                ReferenceSets.ACCOUNTS,
                ReferenceSets.VENUES)
            .routes(
                context -> {
                  ServiceConfig<OrdersConfig> config = context.config(OrdersConfig.class);
                  OrderDesk desk =
                      new OrderDesk(
                          context.instanceId(),
                          () -> config.get().policy(),
                          new ReplicaDirectory(() -> context.referenceData().view()),
                          new RiskClient(context.mesh(), () -> config.get().riskTimeout()),
                          InstantSource.system());
                  config.onChange(
                      (before, after, revision) ->
                          log.info("orders config revision {} in force: {}", revision, after));
                  Summary.every(Duration.ofSeconds(10), log, () -> line(desk.stats()));
                  return new OrdersRoutes(desk, context.instanceId(), version).routes();
                })
            .start();
    ChassisReady.announce(args, chassis);
    chassis.awaitStop();
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
